namespace TaskQueue.Silo.Hosting;

/// <summary>Which backend holds task records and reminders, under <c>TaskQueue:Storage</c>.</summary>
public sealed class TaskStorageOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "TaskQueue:Storage";

    /// <summary>
    /// <c>Embedded</c> (default): a SQLite file on this machine, for a single silo; its settings are under
    /// <c>TaskQueue:Storage:Embedded</c>.
    /// </summary>
    public TaskStorageProvider Provider { get; set; } = TaskStorageProvider.Embedded;
}

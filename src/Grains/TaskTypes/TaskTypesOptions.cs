namespace TaskQueue.Grains.TaskTypes;

/// <summary>Every task type the silos dispatch, under <c>TaskQueue:TaskTypes</c>.</summary>
public sealed class TaskTypesOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "TaskQueue";

    /// <summary>
    /// Task types by name (1-64 characters: lowercase letters, digits, '-' and '_'). Default: <c>syft</c>,
    /// configured in the silo's appsettings.json to call the local SyftService.
    /// </summary>
    public Dictionary<string, TaskTypeOptions> TaskTypes { get; set; } = new(StringComparer.Ordinal);
}

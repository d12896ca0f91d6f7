using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Hosting;

/// <summary>Which backend holds task records, reminders and membership, under <c>TaskQueue:Storage</c>.</summary>
public sealed class TaskStorageOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "TaskQueue:Storage";

    /// <summary>
    /// <c>Embedded</c> (default; one silo, settings under <c>TaskQueue:Storage:Embedded</c>), <c>PostgreSql</c>
    /// (<c>TaskQueue:Storage:PostgreSql</c>) or <c>MongoDb</c> (<c>TaskQueue:Storage:MongoDb</c>). The backend
    /// also decides how silos and clients find each other: localhost for Embedded, the backend's membership
    /// table otherwise.
    /// </summary>
    public TaskStorageProvider Provider { get; set; } = TaskStorageProvider.Embedded;

    /// <summary>
    /// The provider a configuration names, read before the host is built (registrations depend on it). A value
    /// that is not a provider stops start-up with a message naming the setting, instead of a binder error.
    /// </summary>
    public static TaskStorageProvider ProviderOf(IConfiguration configuration)
    {
        var text = configuration[$"{SectionName}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return TaskStorageProvider.Embedded;
        }

        if (Enum.TryParse<TaskStorageProvider>(text, ignoreCase: true, out var provider) && Enum.IsDefined(provider))
        {
            return provider;
        }

        throw new OptionsValidationException(
            Microsoft.Extensions.Options.Options.DefaultName,
            typeof(TaskStorageOptions),
            [
                $"{SectionName}:{nameof(Provider)} is '{text}'; it must be one of "
                + $"{string.Join(", ", Enum.GetNames<TaskStorageProvider>())} (environment variable TaskQueue__Storage__Provider).",
            ]);
    }
}

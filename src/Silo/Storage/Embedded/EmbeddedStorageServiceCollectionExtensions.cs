using Microsoft.Extensions.Options;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>Registers the embedded (SQLite) backend for task records and reminders.</summary>
public static class EmbeddedStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITaskStore"/> and Orleans' <see cref="IReminderTable"/> on one SQLite file, configured
    /// by <see cref="EmbeddedStorageOptions"/> (section <c>TaskQueue:Storage:Embedded</c>, validated at start).
    /// The file is opened, locked and brought to the current schema at the silo's runtime storage stage, before
    /// any grain runs, and closed after the grains stop. Grain storage is not registered here.
    /// </summary>
    public static IServiceCollection AddEmbeddedTaskStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(service => service.ServiceType == typeof(EmbeddedDatabase)))
        {
            return services;
        }

        services.AddOptions<EmbeddedStorageOptions>()
            .BindConfiguration(EmbeddedStorageOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddedStorageOptions>, EmbeddedStorageOptionsValidator>();

        // One database object owns the file; the task store and the reminder table are two views of it.
        services.AddSingleton<EmbeddedDatabase>();
        services.AddSingleton<EmbeddedTaskStore>();
        services.AddSingleton<ITaskStore>(provider => provider.GetRequiredService<EmbeddedTaskStore>());
        services.AddSingleton<EmbeddedReminderTable>();

        // Added, not tried: Orleans resolves the last IReminderTable registered, so this one wins over a default.
        services.AddSingleton<IReminderTable>(provider => provider.GetRequiredService<EmbeddedReminderTable>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EmbeddedStorageLifecycle>();
        return services;
    }
}

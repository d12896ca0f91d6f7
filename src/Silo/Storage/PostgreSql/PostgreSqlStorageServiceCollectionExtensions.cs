using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Messaging;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>Registers the PostgreSQL backend in a silo, or its gateway list in an Orleans client.</summary>
public static class PostgreSqlStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITaskStore"/>, Orleans' <see cref="IReminderTable"/> and Orleans'
    /// <see cref="IMembershipTable"/> on one PostgreSQL database, configured by <see cref="PostgreSqlStorageOptions"/>
    /// (section <c>TaskQueue:Storage:PostgreSql</c>, validated at start). All three share one bounded connection pool.
    /// The schema is applied (or checked) early in the silo's start, before the silo joins its cluster. Reminders are
    /// kept per <c>ClusterOptions.ServiceId</c>, membership per <c>ClusterOptions.ClusterId</c>. Do not also configure
    /// another clustering (such as localhost clustering): the membership table registered here is the cluster's.
    /// Grain storage is not registered here.
    /// </summary>
    public static IServiceCollection AddPostgreSqlTaskStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(service => service.ServiceType == typeof(PostgreSqlTaskStore)))
        {
            return services;
        }

        AddDatabase(services);
        services.AddSingleton<PostgreSqlTaskStore>();
        services.AddSingleton<ITaskStore>(provider => provider.GetRequiredService<PostgreSqlTaskStore>());
        services.AddSingleton<PostgreSqlReminderTable>();
        services.AddSingleton<PostgreSqlMembershipTable>();

        // Added, not tried: Orleans resolves the last one registered, so these win over defaults.
        services.AddSingleton<IReminderTable>(provider => provider.GetRequiredService<PostgreSqlReminderTable>());
        services.AddSingleton<IMembershipTable>(provider => provider.GetRequiredService<PostgreSqlMembershipTable>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgreSqlStorageLifecycle>();
        return services;
    }

    /// <summary>
    /// For an Orleans client: registers an <see cref="IGatewayListProvider"/> that lists the active silos of
    /// <c>ClusterOptions.ClusterId</c> from the membership table in PostgreSQL, configured by
    /// <see cref="PostgreSqlStorageOptions"/> (only the connection settings and schema are used; a client never
    /// applies the schema). Use it instead of static or localhost clustering.
    /// </summary>
    public static IServiceCollection AddPostgreSqlGatewayList(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(service => service.ServiceType == typeof(PostgreSqlGatewayListProvider)))
        {
            return services;
        }

        AddDatabase(services);
        services.AddSingleton<PostgreSqlGatewayListProvider>();
        services.AddSingleton<IGatewayListProvider>(
            provider => provider.GetRequiredService<PostgreSqlGatewayListProvider>());
        return services;
    }

    private static void AddDatabase(IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(PostgreSqlDatabase)))
        {
            return;
        }

        services.AddOptions<PostgreSqlStorageOptions>()
            .BindConfiguration(PostgreSqlStorageOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStorageOptions>, PostgreSqlStorageOptionsValidator>());

        // One pool per process, whatever uses it.
        services.AddSingleton<PostgreSqlDatabase>();
    }
}

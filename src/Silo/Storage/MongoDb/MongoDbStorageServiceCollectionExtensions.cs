using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Messaging;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>Registers the MongoDB backend: on silos everything, on clients the gateway list.</summary>
public static class MongoDbStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITaskStore"/>, Orleans' <see cref="IReminderTable"/> and Orleans'
    /// <see cref="IMembershipTable"/> on one MongoDB database, configured by <see cref="MongoDbStorageOptions"/>
    /// (section <c>TaskQueue:Storage:MongoDb</c>, validated at start). At the silo's runtime storage stage, before any
    /// grain runs, the server must answer within the server selection timeout and the indexes are created. Call it
    /// after any other clustering set-up: the membership table registered last is the one Orleans uses. Grain
    /// storage is not registered here.
    /// </summary>
    public static IServiceCollection AddMongoDbTaskStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddDatabase(services);
        if (services.Any(service => service.ServiceType == typeof(MongoDbTaskStore)))
        {
            return services;
        }

        services.AddSingleton<MongoDbTaskStore>();
        services.AddSingleton<ITaskStore>(provider => provider.GetRequiredService<MongoDbTaskStore>());
        services.AddSingleton<MongoDbReminderTable>();

        // Added, not tried: Orleans resolves the last registration, so these win over defaults added before them.
        services.AddSingleton<IReminderTable>(provider => provider.GetRequiredService<MongoDbReminderTable>());
        services.AddSingleton<MongoDbMembershipTable>();
        services.AddSingleton<IMembershipTable>(provider => provider.GetRequiredService<MongoDbMembershipTable>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MongoDbStorageLifecycle>();
        return services;
    }

    /// <summary>
    /// Registers Orleans' <see cref="IGatewayListProvider"/> for a client of a cluster whose silos use
    /// <see cref="AddMongoDbTaskStorage"/>: the client finds the silos in the same database, under the same
    /// <see cref="MongoDbStorageOptions"/> and Orleans cluster id.
    /// </summary>
    public static IServiceCollection AddMongoDbGatewayList(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddDatabase(services);
        services.RemoveAll<IGatewayListProvider>();
        services.AddSingleton<IGatewayListProvider, MongoDbGatewayListProvider>();
        return services;
    }

    private static void AddDatabase(IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(MongoDbDatabase)))
        {
            return;
        }

        services.AddOptions<MongoDbStorageOptions>()
            .BindConfiguration(MongoDbStorageOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MongoDbStorageOptions>, MongoDbStorageOptionsValidator>();

        // One client per process: it owns the connection pool the options bound.
        services.AddSingleton(provider => new MongoDbDatabase(
            provider.GetRequiredService<IOptions<MongoDbStorageOptions>>(),
            provider.GetRequiredService<ILogger<MongoDbDatabase>>(),
            provider.GetRequiredService<ILoggerFactory>()));
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using TaskQueue.Grains;
using TaskQueue.Grains.Dispatch;
using TaskQueue.Grains.Storage;
using TaskQueue.Grains.Tasks;
using TaskQueue.Grains.TaskTypes;
using TaskQueue.Silo.Results;
using TaskQueue.Silo.Storage.Embedded;
using TaskQueue.Silo.Storage.MongoDb;
using TaskQueue.Silo.Storage.PostgreSql;

namespace TaskQueue.Silo.Hosting;

/// <summary>Hosts a TaskQueue silo in any .NET host: the silo process, a co-hosting gateway, tests.</summary>
public static class TaskQueueSiloExtensions
{
    /// <summary>
    /// Adds an Orleans silo with TaskQueue's grains, task storage, reminders, result store and dispatcher,
    /// all configured from <c>TaskQueue:*</c> settings and validated at start.
    /// </summary>
    public static IHostApplicationBuilder AddTaskQueueSilo(this IHostApplicationBuilder builder)
    {
        builder.AddTaskQueueGrains();
        var cluster = builder.Configuration.GetSection(TaskQueueClusterOptions.SectionName).Get<TaskQueueClusterOptions>()
            ?? new TaskQueueClusterOptions();
        var provider = TaskStorageOptions.ProviderOf(builder.Configuration);

        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<TaskQueueClusterOptions>, SiloPortsFreeCheck>());

        // Shorter than Kubernetes' grace period, so grains hand their tasks over before the pod is killed.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = cluster.ShutdownTimeout);
        builder.UseOrleans(silo =>
        {
            if (provider == TaskStorageProvider.Embedded)
            {
                // One machine, one silo: the embedded store cannot be shared, so membership needs no table.
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, null, cluster.ServiceId, cluster.ClusterId);
                return;
            }

            // The backend registered the membership table; silos find each other through it.
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            // Without listening on any address, Orleans listens on the advertised one alone. An address that does
            // not parse is left to the options' validation, which names the setting at start.
            if (cluster.AdvertisedAddress is { } address)
            {
                if (!IPAddress.TryParse(address, out var advertised))
                {
                    return;
                }

                silo.ConfigureEndpoints(
                    advertised,
                    cluster.SiloPort,
                    cluster.GatewayPort,
                    listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
            }
            else
            {
                ConfigureEndpointsOnThisMachinesAddress(silo, cluster);
            }
        });
        return builder;
    }

    private static void ConfigureEndpointsOnThisMachinesAddress(ISiloBuilder silo, TaskQueueClusterOptions cluster)
    {
        try
        {
            silo.ConfigureEndpoints(
                cluster.SiloPort,
                cluster.GatewayPort,
                AddressFamily.InterNetwork,
                listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
        }
        catch (ArgumentException)
        {
            // Orleans advertises the machine's first IPv4 address that is not loopback, and says only that the
            // empty host name is not an address when there is none (a laptop offline, a container without network).
            throw new OptionsValidationException(
                Microsoft.Extensions.Options.Options.DefaultName,
                typeof(TaskQueueClusterOptions),
                [
                    $"{TaskQueueClusterOptions.SectionName}:AdvertisedAddress is not set and this machine has no IPv4 "
                    + "address but loopback to advertise: set it (environment variable "
                    + "TaskQueue__Cluster__AdvertisedAddress), to 127.0.0.1 for a cluster on this machine alone.",
                ]);
        }
    }

    /// <summary>
    /// Adds everything a TaskQueue silo runs except how it finds its cluster: for hosts that bring their
    /// own membership (the in-process test cluster).
    /// </summary>
    public static IHostApplicationBuilder AddTaskQueueGrains(this IHostApplicationBuilder builder)
    {
        AddTaskQueueServices(builder.Services, TaskStorageOptions.ProviderOf(builder.Configuration));
        var recovery = builder.Configuration.GetSection(RecoveryOptions.SectionName).Get<RecoveryOptions>()
            ?? new RecoveryOptions();
        builder.UseOrleans(silo =>
        {
            silo.AddReminders();
            silo.Configure<ReminderOptions>(options =>
            {
                if (recovery.ReminderPeriod < options.MinimumReminderPeriod)
                {
                    options.MinimumReminderPeriod = recovery.ReminderPeriod;
                }
            });
        });
        return builder;
    }

    private static void AddTaskQueueServices(IServiceCollection services, TaskStorageProvider provider)
    {
        services.AddOptions<TaskQueueClusterOptions>().BindConfiguration(TaskQueueClusterOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<TaskQueueClusterOptions>, TaskQueueClusterOptionsValidator>());
        services.AddOptions<TaskTypesOptions>().BindConfiguration(TaskTypesOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskTypesOptions>, TaskTypesOptionsValidator>());
        services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.SectionName)
            .Validate(o => o.ReminderPeriod >= TimeSpan.FromSeconds(1),
                "TaskQueue:Recovery:ReminderPeriod must be at least 1 second (environment variable TaskQueue__Recovery__ReminderPeriod).")
            .ValidateOnStart();
        services.AddOptions<TaskStorageOptions>().BindConfiguration(TaskStorageOptions.SectionName).ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<TaskQueueMetrics>();
        services.AddSingleton<TaskTypeRegistry>();
        services.AddSingleton<DispatchSlots>();
        services.AddSingleton<TaskDispatcher>();
        services.AddSingleton<AttemptWorker>();
        services.AddHttpClient(TaskDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Task services come and go (Knative scales them): re-resolve their names now and then.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                // A task endpoint that redirects elsewhere is a misconfiguration, not something to follow.
                AllowAutoRedirect = false,
                UseCookies = false,
            })
            // The dispatcher logs what matters per attempt; per-request client logs would flood the hot path.
            .RemoveAllLoggers();

        switch (provider)
        {
            case TaskStorageProvider.PostgreSql:
                services.AddPostgreSqlTaskStorage();
                break;
            case TaskStorageProvider.MongoDb:
                services.AddMongoDbTaskStorage();
                break;
            default:
                services.AddEmbeddedTaskStorage();
                break;
        }

        services.AddTaskQueueResultStore();
        services.AddGrainStorage(TaskRecordGrainStorage.Name, static (sp, _) => new TaskRecordGrainStorage(sp.GetRequiredService<ITaskStore>()));
    }
}

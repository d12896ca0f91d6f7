using TaskQueue.Silo.Hosting;
using TaskQueue.Silo.Results;

namespace TaskQueue.Gateway.Hosting;

/// <summary>
/// Connects the gateway to the grains: as an Orleans client of an external cluster (the default), or by hosting
/// the silo in this process (<c>TaskQueue:Gateway:HostSilo</c>). Everything else in the gateway uses the
/// <see cref="IGrainFactory"/> from DI and works the same either way.
/// </summary>
internal static class ClusterHosting
{
    public static void AddTaskQueueCluster(this IHostApplicationBuilder builder)
    {
        var hostSilo = builder.Configuration.GetValue<bool>(
            $"{GatewayOptions.SectionName}:{nameof(GatewayOptions.HostSilo)}");

        builder.Services.AddSingleton<ClusterConnectionState>();
        builder.Services.AddSingleton<ClusterAccess>();

        if (hostSilo)
        {
            AddCoHostedSilo(builder);
        }
        else
        {
            AddClusterClient(builder);
        }

        // The gateway streams results straight from the store the silos write to; registering twice (the
        // co-hosted silo does too) registers once.
        builder.Services.AddTaskQueueResultStore();
    }

    private static void AddCoHostedSilo(IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloReadiness>();

        // ───── The single call site of the silo host: grains, storage, reminders, result store. ─────
        builder.AddTaskQueueSilo();
    }

    private static void AddClusterClient(IHostApplicationBuilder builder)
    {
        var hostedServicesBefore = builder.Services.Where(IsHostedService).ToHashSet();

        // The embedded backend's single silo is on this machine; a shared backend lists the cluster's silos.
        builder.UseOrleansClient(client =>
        {
            client.UseTaskQueueCluster(builder.Configuration);
            client.UseConnectionRetryFilter<ClusterConnectionRetryFilter>();
        });

        // Orleans starts its client as a hosted service that blocks host start-up until a silo answers. The
        // gateway starts the same client from ClusterClientConnector instead, in the background.
        var orleansHostedServices = builder.Services
            .Where(d => IsHostedService(d) && !hostedServicesBefore.Contains(d))
            .ToList();
        if (orleansHostedServices.Count != 1)
        {
            throw new InvalidOperationException(
                "Expected Orleans to register one hosted service for its client, found "
                + $"{orleansHostedServices.Count}.");
        }

        builder.Services.Remove(orleansHostedServices[0]);
        builder.Services.AddHostedService<ClusterClientConnector>();
    }

    private static bool IsHostedService(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService);
}

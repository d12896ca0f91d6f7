using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TaskQueue.Silo.Storage.MongoDb;
using TaskQueue.Silo.Storage.PostgreSql;

namespace TaskQueue.Silo.Hosting;

/// <summary>How an Orleans client of TaskQueue's cluster (the gateway) finds the silos.</summary>
public static class TaskQueueClientExtensions
{
    /// <summary>
    /// Points an Orleans client at the cluster named by <c>TaskQueue:Cluster</c>: the silo on this machine for
    /// the embedded backend, or the active silos listed in the backend's membership table (PostgreSQL,
    /// MongoDB), which the client keeps reading as silos come and go.
    /// </summary>
    public static IClientBuilder UseTaskQueueCluster(this IClientBuilder client, IConfiguration configuration)
    {
        var services = client.Services;
        services.AddOptions<TaskQueueClusterOptions>().BindConfiguration(TaskQueueClusterOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<TaskQueueClusterOptions>, TaskQueueClusterOptionsValidator>());
        services.AddOptions<ClusterOptions>().Configure<IOptions<TaskQueueClusterOptions>>((options, cluster) =>
        {
            options.ClusterId = cluster.Value.ClusterId;
            options.ServiceId = cluster.Value.ServiceId;
        });

        switch (TaskStorageOptions.ProviderOf(configuration))
        {
            case TaskStorageProvider.PostgreSql:
                services.AddPostgreSqlGatewayList();
                break;
            case TaskStorageProvider.MongoDb:
                services.AddMongoDbGatewayList();
                break;
            default:
                client.UseStaticClustering(gateways => gateways.Configure<IOptions<TaskQueueClusterOptions>>(
                    (options, cluster) => options.Gateways =
                        [new IPEndPoint(IPAddress.Loopback, cluster.Value.GatewayPort).ToGatewayUri()]));
                break;
        }

        return client;
    }
}

namespace TaskQueue.Silo.Hosting;

/// <summary>How this silo joins its cluster, under <c>TaskQueue:Cluster</c>.</summary>
public sealed class TaskQueueClusterOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "TaskQueue:Cluster";

    /// <summary>Silos and clients with the same cluster id form one cluster. Default: <c>taskqueue</c>.</summary>
    public string ClusterId { get; set; } = "taskqueue";

    /// <summary>
    /// The service's lasting identity: storage keys (reminders) belong to it, so keep it the same across
    /// deployments. Default: <c>taskqueue</c>.
    /// </summary>
    public string ServiceId { get; set; } = "taskqueue";

    /// <summary>The port silos talk to each other on. Default: 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (gateways, other .NET services) connect to. Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;
}

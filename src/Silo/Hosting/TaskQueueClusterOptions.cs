namespace TaskQueue.Silo.Hosting;

/// <summary>
/// Which cluster a silo joins or a client (the gateway) connects to, under <c>TaskQueue:Cluster</c>: silos and
/// clients read the same section, so one setting names the cluster for both.
/// </summary>
public sealed class TaskQueueClusterOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "TaskQueue:Cluster";

    /// <summary>Silos and clients with the same cluster id form one cluster. Default: <c>taskqueue</c>.</summary>
    public string ClusterId { get; set; } = "taskqueue";

    /// <summary>
    /// The service's lasting identity: reminders belong to it, so keep it the same across deployments.
    /// Default: <c>taskqueue</c>.
    /// </summary>
    public string ServiceId { get; set; } = "taskqueue";

    /// <summary>The port silos talk to each other on. Default: 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (gateways, other .NET services) connect to. Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The IP address other silos and clients reach this silo at, when the backend keeps a membership table
    /// (PostgreSQL, MongoDB). Default: none, Orleans picks this machine's address; on Kubernetes set it to the
    /// pod's IP (<c>status.podIP</c> through the downward API). Unused with the embedded backend (loopback).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Whether the silo and gateway ports listen on every address of the host (<c>0.0.0.0</c>) or only on the
    /// advertised one, when the backend keeps a membership table. On Kubernetes every interface of a pod is the
    /// pod's own, so all of them is right; on a shared machine set it to false with an <see cref="AdvertisedAddress"/>
    /// (<c>127.0.0.1</c> for a cluster on one machine) so that Orleans' unauthenticated ports are not reachable from
    /// other networks. Default: true. The embedded backend always listens on loopback only.
    /// </summary>
    public bool ListenOnAnyAddress { get; set; } = true;

    /// <summary>
    /// How long an orderly stop may take: grains hand their tasks over in this time. Keep it shorter than
    /// Kubernetes' termination grace period (30 s by default). Default: 25 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);
}

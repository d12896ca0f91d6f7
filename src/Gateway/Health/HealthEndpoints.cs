using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Diagnostics;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Health;

/// <summary>
/// <c>/healthz</c>: the process is alive (a liveness probe; never touches the cluster, so a cluster outage does
/// not restart every gateway). <c>/readyz</c>: the cluster answers a cheap grain call in time (a readiness
/// probe; takes the gateway out of the load balancer while it cannot serve).
/// </summary>
internal sealed class HealthEndpoints
{
    public static IResult Live() => TypedResults.Ok(new HealthResponse { Status = "alive" });

    public static async Task<IResult> ReadyAsync(
        ClusterAccess cluster,
        IOptions<GatewayOptions> options,
        ILogger<HealthEndpoints> logger,
        CancellationToken cancellationToken)
    {
        var timeout = options.Value.ReadinessTimeout;
        try
        {
            await cluster.Grains.GetGrain<ITaskTypesGrain>(0).GetAllAsync().WaitAsync(timeout, cancellationToken);
            return TypedResults.Ok(new HealthResponse { Status = "ready" });
        }
        catch (Exception e) when (ClusterFailures.IsUnavailable(e))
        {
            GatewayLog.NotReady(logger, e.Message);
            return Problems.Unavailable(
                $"The task cluster did not answer within {timeout.TotalSeconds:0.#} s: {Describe(e)}",
                options.Value.UnavailableRetryAfter);
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        ClusterNotConnectedException => "the gateway is not connected to it yet.",
        TimeoutException => "it is slow or unreachable.",
        _ => "no silo is reachable.",
    };
}

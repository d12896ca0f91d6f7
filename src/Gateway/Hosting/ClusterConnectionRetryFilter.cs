using TaskQueue.Gateway.Diagnostics;

namespace TaskQueue.Gateway.Hosting;

/// <summary>
/// Keeps trying to reach the cluster for as long as the gateway runs. Gateways and silos start in any order on
/// Kubernetes; giving up after Orleans' default 15 attempts would crash-loop a gateway whose silos are slow.
/// </summary>
internal sealed class ClusterConnectionRetryFilter(ILogger<ClusterConnectionRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);

        // One line on the first failure and then about once a minute: enough to see it, not a flood.
        if (attempt == 1 || attempt % 30 == 0)
        {
            GatewayLog.ClusterConnectionFailed(logger, attempt, exception.Message);
        }

        try
        {
            await Task.Delay(Delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }
}

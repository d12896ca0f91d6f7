using TaskQueue.Gateway.Diagnostics;

namespace TaskQueue.Gateway.Hosting;

/// <summary>
/// Starts the Orleans client in the background instead of during host start-up, so that the gateway listens
/// (and answers <c>/healthz</c>, and 503 for grain calls) while the cluster is still out of reach.
/// </summary>
/// <remarks>
/// Orleans registers its client as a hosted service whose start blocks until a silo answers; the gateway takes
/// that registration out (see <see cref="ClusterHosting"/>) and starts the same client from here.
/// </remarks>
internal sealed class ClusterClientConnector(
    IClusterClient client,
    ClusterConnectionState state,
    ILogger<ClusterClientConnector> logger) : BackgroundService
{
    private bool _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ((IHostedService)client).StartAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        _started = true;
        state.SetConnected(true);
        GatewayLog.ClusterConnected(logger);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        state.SetConnected(false);
        await base.StopAsync(cancellationToken);
        if (_started)
        {
            await ((IHostedService)client).StopAsync(cancellationToken);
        }
    }
}

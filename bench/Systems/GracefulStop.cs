using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Systems;

/// <summary>Stops a process with SIGTERM when disposed, so that it closes its connections in order (no reset noise).</summary>
internal sealed class GracefulStop(ServiceProcess process) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await process.TerminateAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Gone already, or slow to stop: disposing the process kills it.
        }
    }
}

using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

/// <summary>Prepares the result store when the host starts, so that a wrong setting stops the start.</summary>
internal sealed class ResultStoreStartup(IResultStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        store is IResultStoreInitializer initializer
            ? initializer.InitializeAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

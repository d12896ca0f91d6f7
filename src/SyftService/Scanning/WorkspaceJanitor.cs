using Microsoft.Extensions.Options;
using TaskQueue.SyftService.Diagnostics;
using TaskQueue.SyftService.Engines;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// At start, says which engine runs and removes scan folders a previous process left behind when it was killed
/// mid-scan. Only folders older than twice the scan deadline go: a younger one may belong to another instance
/// sharing the work folder and still be in use.
/// </summary>
internal sealed class WorkspaceJanitor(
    IOptions<SyftServiceOptions> options,
    IScanEngine engine,
    TimeProvider time,
    ILogger<WorkspaceJanitor> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        logger.EngineSelected(engine.Name, engine.ExecutablePath, settings.MaxConcurrentScans);

        var folder = settings.EffectiveWorkFolder;
        if (!Directory.Exists(folder))
        {
            return Task.CompletedTask;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - (2 * settings.ScanDeadline) - TimeSpan.FromMinutes(1);
        var removed = 0;
        foreach (var stale in new DirectoryInfo(folder).EnumerateDirectories(ScanWorkspace.FolderPrefix + "*"))
        {
            if (stale.LastWriteTimeUtc >= cutoff)
            {
                continue;
            }

            try
            {
                stale.Delete(recursive: true);
                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                logger.WorkspaceNotRemoved(exception, stale.FullName);
            }
        }

        if (removed > 0)
        {
            logger.StaleWorkspacesRemoved(removed, folder);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

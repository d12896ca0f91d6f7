using Microsoft.Extensions.Options;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// The instance's scan slots (<see cref="SyftServiceOptions.MaxConcurrentScans"/>, read at start). A request
/// that finds none free within <see cref="SyftServiceOptions.BusySlotWait"/> is turned away rather than queued:
/// the caller's queue holds work far better than an open HTTP request does.
/// </summary>
internal sealed class ScanSlots(IOptions<SyftServiceOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _free = new(options.Value.MaxConcurrentScans, options.Value.MaxConcurrentScans);

    /// <summary>A slot to dispose when the scan ends, or null when all stayed taken for <paramref name="wait"/>.</summary>
    public async Task<IDisposable?> TryEnterAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        await _free.WaitAsync(wait, cancellationToken) ? new Slot(_free) : null;

    public void Dispose() => _free.Dispose();

    private sealed class Slot(SemaphoreSlim free) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                free.Release();
            }
        }
    }
}

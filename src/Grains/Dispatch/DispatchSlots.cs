using System.Collections.Concurrent;
using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Dispatch;

/// <summary>
/// How many attempts of each task type this silo runs at once (TaskTypeOptions.MaxConcurrentAttempts).
/// Waiting for a slot happens before an attempt is recorded, so a waiting task stays queued, not running.
/// </summary>
public sealed class DispatchSlots
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.Ordinal);

    /// <summary>Waits for a slot of the type; disposing the answer gives it back.</summary>
    public async Task<IDisposable> AcquireAsync(TaskTypeDefinition type, CancellationToken cancellationToken)
    {
        var slots = _slots.GetOrAdd(
            type.Name,
            static (_, max) => new SemaphoreSlim(max, max),
            type.Options.MaxConcurrentAttempts);
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    /// <summary>Attempts of the type in flight on this silo now.</summary>
    public int InUse(TaskTypeDefinition type) =>
        _slots.TryGetValue(type.Name, out var slots) ? type.Options.MaxConcurrentAttempts - slots.CurrentCount : 0;

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}

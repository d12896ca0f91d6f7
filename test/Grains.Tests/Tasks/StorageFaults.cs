using System.Collections.Concurrent;

namespace TaskQueue.Grains.Tests.Tasks;

/// <summary>
/// One-shot failures a test arms for one task: its next reminder registration or its next record write throws,
/// as when the silo owning the reminder's range has just died or the store is unreachable.
/// </summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<(Guid TaskId, string Operation), bool> _armed = new();

    public void FailNextReminderRegistration(Guid taskId) => _armed[(taskId, "reminder")] = true;

    public void FailNextRecordWrite(Guid taskId) => _armed[(taskId, "record")] = true;

    internal void ThrowIfArmed(Guid taskId, string operation)
    {
        if (_armed.TryRemove((taskId, operation), out _))
        {
            throw new InvalidOperationException($"Injected failure: the {operation} write of task {taskId} failed.");
        }
    }
}

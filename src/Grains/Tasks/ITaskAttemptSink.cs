using Orleans.Concurrency;
using TaskQueue.Grains.Dispatch;

namespace TaskQueue.Grains.Tasks;

/// <summary>
/// How an attempt running off the task grain's turn reports back to it. Silo-internal: clients use
/// <see cref="Interfaces.ITaskGrain"/>. Every state change of a task still happens in a grain turn.
/// </summary>
public interface ITaskAttemptSink : IGrainWithGuidKey
{
    /// <summary>
    /// Records attempt <paramref name="number"/> as started (persisted) just before the service is called;
    /// false when the task no longer wants it (cancelled, finished, or another attempt began).
    /// </summary>
    Task<bool> BeginAttemptAsync(int number);

    /// <summary>Records how attempt <paramref name="number"/> ended, unless it was no longer open.</summary>
    Task<AttemptReceipt> CompleteAttemptAsync(int number, AttemptResult result);

    /// <summary>Wakes the task so that it goes on; sent when its activation hands it over at shutdown.</summary>
    [OneWay]
    Task ResumeAsync();
}

using System.Collections.Concurrent;
using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Dispatch;

/// <summary>
/// How many attempts of each task type this silo runs at once (TaskTypeOptions.MaxConcurrentAttempts), who
/// goes next, and when a type's service has asked everyone to wait.
/// </summary>
/// <remarks>
/// Waiting happens before an attempt is recorded, so a waiting task stays queued, not running. Slots go to
/// users in turn, so one user's thousand tasks cannot hold another user's single task behind them.
/// </remarks>
public sealed class DispatchSlots(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TypeSlots> _types = new(StringComparer.Ordinal);

    /// <summary>Waits for a slot of the type, taking turns with other users; disposing the answer gives it back.</summary>
    public Task<IDisposable> AcquireAsync(TaskTypeDefinition type, string userId, CancellationToken cancellationToken) =>
        SlotsOf(type).AcquireAsync(userId, cancellationToken);

    /// <summary>
    /// Starts no new attempt of the type on this silo for <paramref name="pause"/>: its service said it is busy
    /// or rate-limited. Without this, every waiting task would take the freed slot in turn, be refused at once
    /// and spend its attempts in seconds.
    /// </summary>
    public void Pause(TaskTypeDefinition type, TimeSpan pause) => SlotsOf(type).Pause(pause);

    /// <summary>Attempts of the type in flight on this silo now.</summary>
    public int InUse(TaskTypeDefinition type) =>
        _types.TryGetValue(type.Name, out var slots) ? slots.InUse : 0;

    private TypeSlots SlotsOf(TaskTypeDefinition type) =>
        _types.GetOrAdd(type.Name, static (_, state) => new TypeSlots(state.Max, state.Time), (Max: type.Options.MaxConcurrentAttempts, Time: time));
}

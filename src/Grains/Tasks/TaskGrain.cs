using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Tasks;

/// <summary>
/// One task: stored before it is acknowledged, dispatched at once, retried with backoff, kept alive across
/// crashes by a reminder. This file holds what users call; TaskGrain.Attempts.cs runs the attempts.
/// </summary>
/// <remarks>
/// Placement is random so that tasks spread over the silos instead of piling onto the one whose client
/// submitted them. Finished tasks deactivate as soon as they finish and idle ones after two minutes: a task is read rarely
/// once done, and a cluster holds many.
/// </remarks>
[CollectionAgeLimit(Minutes = 2)]
[RandomPlacement]
public sealed partial class TaskGrain(
    [PersistentState("task", TaskRecordGrainStorage.Name)] IPersistentState<TaskRecord> task,
    TaskTypeRegistry taskTypes,
    AttemptWorker worker,
    IOptions<RecoveryOptions> recovery,
    TaskQueueMetrics metrics,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain, ITaskAttemptSink, IRemindable
{
    /// <summary>Set when a write failed: from then on this activation must not write what it holds.</summary>
    private bool _memoryAheadOfStorage;

    private TaskRecord Record => task.State;

    public async Task<SubmitResult> SubmitAsync(TaskSubmission submission)
    {
        if (Record.Exists)
        {
            return IsRepeatOf(submission)
                ? new SubmitResult { Outcome = SubmitOutcome.AlreadyAccepted, Task = Record.ToView() }
                : new SubmitResult { Outcome = SubmitOutcome.Conflict };
        }

        var errors = new List<FieldError>();
        var (type, parameters) = taskTypes.Check(submission, errors);
        if (type is null)
        {
            DeactivateOnIdle();
            return new SubmitResult { Outcome = SubmitOutcome.Invalid, Errors = errors };
        }

        var now = Now();
        var record = new TaskRecord
        {
            Id = this.GetPrimaryKey(),
            UserId = submission.UserId,
            TaskType = type.Name,
            Parameters = new Dictionary<string, string>(parameters, StringComparer.Ordinal),
            Status = TaskState.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            NextAttemptAt = now,
            MaxAttempts = type.Options.MaxAttempts,
        };

        // The reminder and the record are both durable before the caller hears "accepted": the reminder so a
        // crash cannot strand the task, the record so it exists. The reminder goes first: if it fails, nothing
        // was stored and the caller can simply try again; a reminder left behind by a failed write finds no task
        // when it fires and removes itself.
        await StoreNewAsync(record);

        metrics.Submitted(type.Name);
        LogAccepted(Record.Id, type.Name, Record.UserId);
        await ScheduleNextAttemptAsync();
        return new SubmitResult { Outcome = SubmitOutcome.Accepted, Task = Record.ToView() };
    }

    public Task<TaskView?> GetAsync(string userId)
    {
        if (!Record.Exists)
        {
            // Someone asked for an id that was never used: do not keep an empty activation around.
            DeactivateOnIdle();
        }

        return Task.FromResult(IsVisibleTo(userId) ? Record.ToView() : null);
    }

    public async Task<CancelResult> CancelAsync(string userId)
    {
        if (!IsVisibleTo(userId))
        {
            return new CancelResult { Outcome = CancelOutcome.NotFound };
        }

        if (Record.Status.IsFinal())
        {
            return new CancelResult { Outcome = CancelOutcome.AlreadyFinished, Task = Record.ToView() };
        }

        var now = Now();
        if (Record.OpenAttempt is { } open)
        {
            open.EndedAt = now;
            open.Outcome = AttemptOutcome.Cancelled;
            open.Message = "The task was cancelled while this attempt was in flight.";
        }

        Record.Status = TaskState.Cancelled;
        Record.NextAttemptAt = null;
        Record.UpdatedAt = now;
        await WriteAsync();

        StopAttempt();
        await FinishAsync();
        return new CancelResult { Outcome = CancelOutcome.Cancelled, Task = Record.ToView() };
    }

    /// <summary>The time, whole milliseconds: what store indexes keep, so a listing and a read agree.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private bool IsVisibleTo(string userId) =>
        Record.Exists && string.Equals(Record.UserId, userId, StringComparison.Ordinal);

    private bool IsRepeatOf(TaskSubmission submission)
    {
        if (!string.Equals(Record.UserId, submission.UserId, StringComparison.Ordinal)
            || !string.Equals(Record.TaskType, submission.TaskType, StringComparison.Ordinal))
        {
            return false;
        }

        // Compare with defaults filled in, as the stored parameters are.
        var (type, parameters) = taskTypes.Check(submission, []);
        return type is not null
            && parameters.Count == Record.Parameters.Count
            && parameters.All(p => Record.Parameters.TryGetValue(p.Key, out var stored) && stored == p.Value);
    }

    /// <summary>
    /// Registers the new task's reminder, then writes its record. Until both are durable the activation does not
    /// hold the task: should either fail (the silo owning the reminder's range just died, the store is down), a
    /// retried submission must find no task here and store it, not answer "already accepted" for a task that
    /// exists only in this activation's memory and would never run.
    /// </summary>
    private async Task StoreNewAsync(TaskRecord record)
    {
        try
        {
            await RegisterReminderAsync();
            task.State = record;
            await WriteAsync();
        }
        catch
        {
            task.State = new TaskRecord();
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Persists the record. A failed write leaves memory ahead of storage, so the activation goes away and the
    /// next call starts again from what is stored.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            await task.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogWriteFailed(e, this.GetPrimaryKey());
            _memoryAheadOfStorage = true;
            DeactivateOnIdle();
            throw;
        }
    }
}

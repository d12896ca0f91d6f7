using TaskQueue.Grains.Dispatch;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Grains.Tasks;

/// <summary>The attempt lifecycle: start, record, retry, recover, finish.</summary>
public sealed partial class TaskGrain
{
    private const string ReminderName = "dispatch";

    /// <summary>How often the grain checks on its running worker; also what keeps the activation alive.</summary>
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(30);

    private InFlightAttempt? _inFlight;
    private IGrainTimer? _retryTimer;
    private IGrainTimer? _watch;
    private IGrainReminder? _reminder;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Record.Exists && !Record.Status.IsFinal())
        {
            // Whatever brought the grain back (its reminder, a read, a handover), an unfinished task goes on.
            await RecoverOpenAttemptAsync(
                "The silo running this attempt stopped before the attempt ended.",
                handedOver: false);
            await ScheduleNextAttemptAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_inFlight is not { Worker.IsCompleted: false })
        {
            return;
        }

        // An orderly stop (shutdown, migration) hands the task over: the attempt is abandoned without counting
        // against the task, and a wake-up message brings the task back on a silo that is not stopping.
        StopAttempt();
        if (_memoryAheadOfStorage)
        {
            // What this activation holds was never stored; the next activation starts from what was.
            return;
        }

        try
        {
            await RecoverOpenAttemptAsync(
                $"The attempt was handed over because its activation stopped ({reason.ReasonCode}).",
                handedOver: true);

            // The wake-up can only land on another silo; alone, the task waits for its reminder after restart.
            if (OtherSilosAreActive())
            {
                this.AsReference<ITaskAttemptSink>().ResumeAsync().Ignore();
            }

            LogHandedOver(Record.Id, reason.ReasonCode);
        }
        catch (Exception e)
        {
            // The reminder still brings the task back; the attempt will then count as interrupted.
            LogHandOverFailed(e, Record.Id);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Record.Exists || Record.Status.IsFinal())
        {
            await UnregisterReminderAsync();
            DeactivateOnIdle();
            return;
        }

        await GoOnAsync();
    }

    public Task ResumeAsync() => GoOnAsync();

    public async Task<bool> BeginAttemptAsync(int number)
    {
        if (_inFlight is not { } inFlight
            || inFlight.Number != number
            || inFlight.IsCancelled
            || Record.Status is not (TaskState.Queued or TaskState.Retrying))
        {
            return false;
        }

        var now = Now();
        Record.Attempts.Add(new AttemptRecord { Number = number, StartedAt = now });
        Record.Status = TaskState.Running;
        Record.NextAttemptAt = null;
        Record.UpdatedAt = now;
        await WriteAsync();
        return true;
    }

    public async Task<AttemptReceipt> CompleteAttemptAsync(int number, AttemptResult result)
    {
        if (Record.OpenAttempt is not { } attempt || attempt.Number != number || Record.Status != TaskState.Running)
        {
            // Only a task that ended without success may lose what a stray attempt stored: while it goes on,
            // or once it succeeded, the stored result may be a later attempt's.
            return Record.Status is TaskState.Cancelled or TaskState.Failed ? AttemptReceipt.DiscardResult : AttemptReceipt.Ignored;
        }

        var now = Now();
        attempt.EndedAt = now;
        attempt.Outcome = result.Outcome;
        attempt.StatusCode = result.StatusCode;
        attempt.Message = result.Message;
        Decide(result, now);
        await WriteAsync();

        StopAttempt();
        await AfterDecisionAsync(attempt);
        return AttemptReceipt.Recorded;
    }

    /// <summary>What the task does after an attempt: succeed, fail, or wait for the next one.</summary>
    private void Decide(AttemptResult result, DateTimeOffset now)
    {
        Record.UpdatedAt = now;
        switch (result.Outcome)
        {
            case AttemptOutcome.Succeeded:
                Record.Status = TaskState.Succeeded;
                Record.Result = result.Result;
                Record.Error = null;
                break;
            case AttemptOutcome.PermanentFailure:
                Fail(result.ErrorCode ?? "permanent_failure", result.Message ?? "The service refused the task.");
                break;
            default:
                RetryOrGiveUp(result.Message, result.RetryAfter, now);
                break;
        }
    }

    private void RetryOrGiveUp(string? reason, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (Record.CountedAttempts >= Record.MaxAttempts)
        {
            Fail("attempts_exhausted", $"All {Record.MaxAttempts} attempts failed; the last: {reason}");
            return;
        }

        var delay = taskTypes.TryGet(Record.TaskType, out var type)
            ? RetryDelay.After(Record.CountedAttempts, retryAfter, type.Options, Random.Shared.NextDouble())
            : TimeSpan.Zero;
        Record.Status = TaskState.Retrying;
        Record.NextAttemptAt = now + delay;
    }

    private void Fail(string code, string message)
    {
        Record.Status = TaskState.Failed;
        Record.NextAttemptAt = null;
        Record.Error = new TaskError { Code = code, Message = message };
    }

    private async Task AfterDecisionAsync(AttemptRecord attempt)
    {
        if (Record.Status.IsFinal())
        {
            await FinishAsync();
            return;
        }

        LogRetrying(Record.Id, Record.TaskType, attempt.Number, Record.NextAttemptAt, attempt.Message);
        await ScheduleNextAttemptAsync();
    }

    /// <summary>
    /// Closes an attempt that is recorded as started but has no worker any more: its silo died, or its worker
    /// failed to report. It counts against the task unless it was handed over in an orderly stop.
    /// </summary>
    private async Task RecoverOpenAttemptAsync(string reason, bool handedOver)
    {
        if (Record.OpenAttempt is not { } open)
        {
            return;
        }

        var now = Now();
        open.EndedAt = now;
        open.Outcome = AttemptOutcome.Interrupted;
        open.Message = reason;
        open.HandedOver = handedOver;
        Record.UpdatedAt = now;
        if (handedOver)
        {
            Record.Status = TaskState.Retrying;
            Record.NextAttemptAt = now;
        }
        else
        {
            LogInterrupted(Record.Id, Record.TaskType, open.Number);
            RetryOrGiveUp(reason, retryAfter: TimeSpan.Zero, now);
        }

        await WriteAsync();
        if (Record.Status.IsFinal())
        {
            await FinishAsync();
        }
    }

    /// <summary>Called by the reminder, a hand-over and the watch: make sure an unfinished task moves.</summary>
    private async Task GoOnAsync()
    {
        if (!Record.Exists || Record.Status.IsFinal() || _inFlight is { Worker.IsCompleted: false })
        {
            return;
        }

        _inFlight = null;
        await RecoverOpenAttemptAsync(
            "The attempt's worker stopped without reporting an outcome; the silo's log says why.",
            handedOver: false);
        await ScheduleNextAttemptAsync();
    }

    /// <summary>Starts the next attempt now, or sets a timer for when it is due.</summary>
    private async Task ScheduleNextAttemptAsync()
    {
        if (Record.Status is not (TaskState.Queued or TaskState.Retrying) || _inFlight is { Worker.IsCompleted: false })
        {
            return;
        }

        _retryTimer?.Dispose();
        _retryTimer = null;
        var wait = (Record.NextAttemptAt ?? time.GetUtcNow()) - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            // A timer, not the reminder, so that a 2-second backoff fires after about 2 seconds. KeepAlive holds
            // the activation until then; if the silo dies first, the reminder takes over.
            _retryTimer = this.RegisterGrainTimer(
                static (grain, _) => grain.ScheduleNextAttemptAsync(),
                this,
                new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { KeepAlive = true });
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // An activation made on a silo that is already stopping (a hand-over's wake-up can be routed back here
            // before the silo leaves the cluster) would start an attempt that the stop cuts off unrecorded, and
            // that attempt would count against the task. Start nothing: the task's reminder resumes it on a silo
            // that stays.
            LogNotStartedOnStoppingSilo(Record.Id);
            DeactivateOnIdle();
            return;
        }

        if (!taskTypes.TryGet(Record.TaskType, out var type))
        {
            Fail("task_type_unavailable", $"Task type '{Record.TaskType}' is no longer configured on this silo.");
            await WriteAsync();
            await FinishAsync();
            return;
        }

        var number = Record.Attempts.Count + 1;
        var cancellation = new CancellationTokenSource();
        var self = this.AsReference<ITaskAttemptSink>();
        var parameters = new Dictionary<string, string>(Record.Parameters, StringComparer.Ordinal);
        var taskId = Record.Id;

        // Off the grain's turn, so that reads and cancellation are answered while the service works.
        var userId = Record.UserId;
        var work = Task.Run(() => worker.RunAsync(self, type, taskId, userId, number, parameters, cancellation.Token));
        _inFlight = new InFlightAttempt(number, cancellation, work);
        _watch ??= this.RegisterGrainTimer(
            static (grain, _) => grain.WatchAsync(),
            this,
            new GrainTimerCreationOptions(WatchPeriod, WatchPeriod) { KeepAlive = true });
    }

    private async Task WatchAsync()
    {
        if (_inFlight is { Worker.IsCompleted: false })
        {
            return;
        }

        _watch?.Dispose();
        _watch = null;
        await GoOnAsync();
    }

    private bool OtherSilosAreActive() =>
        membership.CurrentSnapshot.Members.Values.Any(
            member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(localSilo.SiloAddress));

    private void StopAttempt()
    {
        _retryTimer?.Dispose();
        _retryTimer = null;
        _inFlight?.Cancel();
        _inFlight = null;
    }

    private async Task FinishAsync()
    {
        metrics.Finished(Record.TaskType, Record.Status);
        LogFinished(Record.Id, Record.TaskType, Record.Status, Record.Error?.Message);
        await UnregisterReminderAsync();
        DeactivateOnIdle();
    }

    private async Task RegisterReminderAsync()
    {
        var period = recovery.Value.ReminderPeriod;
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    private async Task UnregisterReminderAsync()
    {
        try
        {
            _reminder ??= await this.GetReminder(ReminderName);
            if (_reminder is not null)
            {
                await this.UnregisterReminder(_reminder);
                _reminder = null;
            }
        }
        catch (Exception e)
        {
            // Harmless: the reminder fires once more, finds the task finished and tries again.
            LogReminderNotRemoved(e, Record.Id);
        }
    }

    private sealed class InFlightAttempt(int number, CancellationTokenSource cancellation, Task worker)
    {
        public int Number { get; } = number;

        public Task Worker { get; } = worker;

        public bool IsCancelled => cancellation.IsCancellationRequested;

        public void Cancel() => cancellation.Cancel();
    }
}

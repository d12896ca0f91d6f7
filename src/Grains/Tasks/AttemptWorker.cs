using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskQueue.Grains.Dispatch;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Results;
using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Tasks;

/// <summary>
/// One attempt's life off the grain's turn, on the thread pool: wait for a dispatch slot, have the grain
/// record the start, call the service, report the outcome. The grain stays free to answer reads meanwhile.
/// </summary>
public sealed partial class AttemptWorker(
    DispatchSlots slots,
    TaskDispatcher dispatcher,
    IResultStore results,
    IHostApplicationLifetime lifetime,
    ILogger<AttemptWorker> logger)
{
    /// <summary>
    /// Runs attempt <paramref name="number"/>. Cancellation (the task was cancelled, or its activation is
    /// going away) ends the work silently: the grain has already recorded what it needs.
    /// </summary>
    public async Task RunAsync(
        ITaskAttemptSink task,
        TaskTypeDefinition type,
        Guid taskId,
        string userId,
        int number,
        IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        try
        {
            using var slot = await slots.AcquireAsync(type, userId, cancellationToken);
            if (!await task.BeginAttemptAsync(number))
            {
                return;
            }

            var result = await dispatcher.RunAsync(type, taskId, number, parameters, cancellationToken);
            if (result.IsThrottled)
            {
                slots.Pause(type, RetryDelay.Honoured(result.RetryAfter!.Value, type.Options));
            }

            slot.Dispose();

            var receipt = await task.CompleteAttemptAsync(number, result);
            if (receipt == AttemptReceipt.DiscardResult && result.Outcome == AttemptOutcome.Succeeded)
            {
                // The task was cancelled while the result was being stored: nobody will ever read it.
                await results.DeleteAsync(taskId, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The silo is stopping under the attempt: the task is handed over or resumes after restart.
            LogWorkerStoppedWithSilo(e, taskId, number);
        }
        catch (Exception e)
        {
            // The grain notices the worker ended without a report and recovers the attempt.
            LogWorkerFailed(e, taskId, number);
        }
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug,
        Message = "Attempt {Attempt} of task {TaskId} stopped with its silo; the task goes on elsewhere or after restart")]
    private partial void LogWorkerStoppedWithSilo(Exception exception, Guid taskId, int attempt);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error,
        Message = "Attempt {Attempt} of task {TaskId} could not report to its task; the task will recover it")]
    private partial void LogWorkerFailed(Exception exception, Guid taskId, int attempt);
}

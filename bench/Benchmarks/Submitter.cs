using System.Diagnostics;
using TaskQueue.Bench.Systems;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Bench.Benchmarks;

/// <summary>Submits no-op tasks through the task grain, as the gateway does, from many callers at once.</summary>
internal static class Submitter
{
    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    /// <summary>Submits <paramref name="count"/> tasks with <paramref name="callers"/> at a time; answers each one's latency.</summary>
    public static async Task<List<double>> SubmitAsync(
        IGrainFactory grains,
        string userId,
        int count,
        int callers,
        CancellationToken cancellationToken)
    {
        var next = 0;
        var perCaller = await Task.WhenAll(Enumerable.Range(0, Math.Min(callers, count)).Select(_ => Task.Run(
            async () =>
            {
                var latencies = new List<double>();
                while (Interlocked.Increment(ref next) <= count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var started = Stopwatch.GetTimestamp();
                    var result = await grains.GetGrain<ITaskGrain>(TaskIds.New()).SubmitAsync(new TaskSubmission
                    {
                        UserId = userId,
                        TaskType = BenchSettings.TaskType,
                        Parameters = NoParameters,
                    });
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (result.Outcome != SubmitOutcome.Accepted)
                    {
                        throw new InvalidOperationException(
                            $"A submission was not accepted: {result.Outcome} {string.Join("; ", result.Errors.Select(e => e.Message))}");
                    }
                }

                return latencies;
            },
            cancellationToken)));
        return [.. perCaller.SelectMany(l => l)];
    }

    /// <summary>
    /// Waits until the no-op endpoint has served <paramref name="served"/> requests and the user has no task left
    /// that is queued, running or retrying: everything submitted so far has finished.
    /// </summary>
    public static async Task WaitUntilFinishedAsync(
        IGrainFactory grains,
        NoopEndpoint noop,
        string userId,
        long served,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        var user = grains.GetGrain<IUserTasksGrain>(userId);
        try
        {
            while (await noop.CountAsync(timeout.Token) < served)
            {
                await Task.Delay(200, timeout.Token);
            }

            foreach (var status in new[] { TaskState.Queued, TaskState.Running, TaskState.Retrying })
            {
                while ((await user.ListAsync(new TaskListQuery { Status = status, Limit = 1 })).Items.Count > 0)
                {
                    await Task.Delay(100, timeout.Token);
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The tasks of {userId} did not all finish within {deadline}; the endpoint served {await noop.CountAsync(cancellationToken)} of {served}.");
        }
    }
}

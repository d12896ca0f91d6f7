using System.Collections.Concurrent;
using System.Diagnostics;

namespace TaskQueue.Bench.Profiling;

/// <summary>How long each stage of a task's life took, call by call: filled by the timing decorators.</summary>
internal sealed class StageTimes
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _stages = new(StringComparer.Ordinal);

    /// <summary>The stages seen, each with every call's duration in milliseconds.</summary>
    public IReadOnlyDictionary<string, ConcurrentQueue<double>> Stages => _stages;

    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            Record(stage, started);
        }
    }

    public async Task TimeAsync(string stage, Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call();
        }
        finally
        {
            Record(stage, started);
        }
    }

    public void Record(string stage, long startedTimestamp) =>
        _stages.GetOrAdd(stage, _ => new ConcurrentQueue<double>())
            .Enqueue(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);

    public void Clear() => _stages.Clear();
}

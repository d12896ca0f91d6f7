using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Dispatch;

/// <summary>How long a task waits before its next attempt.</summary>
public static class RetryDelay
{
    /// <summary>Backoff is spread ±20 % so that tasks failing together do not all come back together.</summary>
    private const double Jitter = 0.2;

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/> (1-based): InitialBackoff doubled per attempt,
    /// capped at MaxBackoff, ±20 %; or, when the service sent <c>Retry-After</c>, what it asked for (capped at
    /// MaxRetryAfter) plus up to 20 %, never less, so that tasks told the same thing do not return together.
    /// </summary>
    public static TimeSpan After(int attempt, TimeSpan? retryAfter, TaskTypeOptions type, double random)
    {
        if (retryAfter is { } asked)
        {
            return Honoured(asked, type) * (1 + random * Jitter);
        }

        var doublings = Math.Min(attempt - 1, 30);
        var backoff = Math.Min(type.InitialBackoff.TotalMilliseconds * Math.Pow(2, doublings), type.MaxBackoff.TotalMilliseconds);
        var spread = 1 + ((random * 2) - 1) * Jitter;
        return TimeSpan.FromMilliseconds(backoff * spread);
    }

    /// <summary>What the queue honours of a <c>Retry-After</c>: not negative, at most MaxRetryAfter.</summary>
    public static TimeSpan Honoured(TimeSpan retryAfter, TaskTypeOptions type) =>
        retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > type.MaxRetryAfter ? type.MaxRetryAfter : retryAfter;
}

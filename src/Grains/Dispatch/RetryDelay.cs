using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Dispatch;

/// <summary>How long a task waits before its next attempt.</summary>
public static class RetryDelay
{
    /// <summary>Backoff is spread ±20 % so that tasks failing together do not all come back together.</summary>
    private const double Jitter = 0.2;

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/> (1-based): what <c>Retry-After</c> asked for,
    /// capped at MaxRetryAfter, or InitialBackoff doubled per attempt, capped at MaxBackoff, with jitter.
    /// </summary>
    public static TimeSpan After(int attempt, TimeSpan? retryAfter, TaskTypeOptions type, double random)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > type.MaxRetryAfter ? type.MaxRetryAfter : asked;
        }

        var doublings = Math.Min(attempt - 1, 30);
        var backoff = Math.Min(type.InitialBackoff.TotalMilliseconds * Math.Pow(2, doublings), type.MaxBackoff.TotalMilliseconds);
        var spread = 1 + ((random * 2) - 1) * Jitter;
        return TimeSpan.FromMilliseconds(backoff * spread);
    }
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>How one attempt at a task's service ended.</summary>
[GenerateSerializer]
[Alias("TaskQueue.AttemptOutcome")]
public enum AttemptOutcome
{
    /// <summary>The service answered 2xx and its body was stored as the result.</summary>
    Succeeded = 0,

    /// <summary>A failure that can pass (connection error, deadline, 408, 429, 5xx): the task is retried.</summary>
    TransientFailure = 1,

    /// <summary>A failure that will not pass (any other 4xx, a result over the size limit): the task fails.</summary>
    PermanentFailure = 2,

    /// <summary>The silo running the attempt stopped before the attempt ended; the task goes on elsewhere.</summary>
    Interrupted = 3,

    /// <summary>The task was cancelled while the attempt was in flight.</summary>
    Cancelled = 4,
}

using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.Dispatch;

/// <summary>How an attempt at a task's service ended, as the dispatcher reports it to the task grain.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.AttemptResult")]
public sealed record AttemptResult
{
    [Id(0)]
    public required AttemptOutcome Outcome { get; init; }

    /// <summary>The HTTP status the service answered, when it answered.</summary>
    [Id(1)]
    public int? StatusCode { get; init; }

    /// <summary>Why the attempt failed: the service's message or the connection error.</summary>
    [Id(2)]
    public string? Message { get; init; }

    /// <summary>What the service's <c>Retry-After</c> asked for, when it answered one.</summary>
    [Id(3)]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The stored result, when the attempt succeeded.</summary>
    [Id(4)]
    public TaskResultInfo? Result { get; init; }

    /// <summary>The task error code a permanent failure carries (<c>permanent_failure</c>, <c>result_too_large</c>).</summary>
    [Id(5)]
    public string? ErrorCode { get; init; }

    /// <summary>
    /// True when the service said it is busy or rate-limited and when to come back (429 or 503 with
    /// <c>Retry-After</c>): the whole task type waits, not only this task.
    /// </summary>
    public bool IsThrottled => RetryAfter is not null && StatusCode is 429 or 503;

    public static AttemptResult Transient(string message, int? statusCode = null, TimeSpan? retryAfter = null) =>
        new() { Outcome = AttemptOutcome.TransientFailure, Message = message, StatusCode = statusCode, RetryAfter = retryAfter };

    public static AttemptResult Permanent(string code, string message, int? statusCode = null) =>
        new() { Outcome = AttemptOutcome.PermanentFailure, ErrorCode = code, Message = message, StatusCode = statusCode };
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>Why a task failed.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskError")]
public sealed record TaskError
{
    /// <summary>
    /// A stable code: <c>permanent_failure</c> (the service refused the task), <c>attempts_exhausted</c>
    /// (every attempt failed for a reason that could have passed), <c>result_too_large</c>, or
    /// <c>task_type_unavailable</c> (the task type was removed from the configuration).
    /// </summary>
    [Id(0)]
    public required string Code { get; init; }

    /// <summary>The reason in words, usually the last attempt's message.</summary>
    [Id(1)]
    public required string Message { get; init; }
}

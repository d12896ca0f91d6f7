namespace TaskQueue.Gateway.Contracts;

/// <summary>Why a task failed.</summary>
public sealed record TaskErrorResponse
{
    /// <summary>
    /// A stable code: <c>permanent_failure</c>, <c>attempts_exhausted</c>, <c>result_too_large</c> or
    /// <c>task_type_unavailable</c>.
    /// </summary>
    public required string Code { get; init; }

    /// <summary>The reason in words.</summary>
    public required string Message { get; init; }
}

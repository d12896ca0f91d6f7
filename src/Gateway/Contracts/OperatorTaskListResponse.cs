namespace TaskQueue.Gateway.Contracts;

/// <summary>One page of every user's tasks, newest first.</summary>
public sealed record OperatorTaskListResponse
{
    /// <summary>The tasks on this page.</summary>
    public required IReadOnlyList<OperatorTaskSummaryResponse> Items { get; init; }

    /// <summary>Pass as <c>cursor</c> to read the next page; null when this page is the last.</summary>
    public required string? NextCursor { get; init; }
}

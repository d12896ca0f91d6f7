namespace TaskQueue.Gateway.Contracts;

/// <summary>One page of the caller's tasks, newest first.</summary>
public sealed record TaskListResponse
{
    /// <summary>The tasks on this page.</summary>
    public required IReadOnlyList<TaskSummaryResponse> Items { get; init; }

    /// <summary>Pass as <c>cursor</c> to read the next page; null when this page is the last.</summary>
    public required string? NextCursor { get; init; }
}

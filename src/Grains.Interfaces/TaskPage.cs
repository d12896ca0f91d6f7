namespace TaskQueue.Grains.Interfaces;

/// <summary>One page of a task listing, newest first.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskPage")]
public sealed record TaskPage
{
    /// <summary>The tasks on this page.</summary>
    [Id(0)]
    public required IReadOnlyList<TaskSummary> Items { get; init; }

    /// <summary>Where the next page starts; null when this page is the last.</summary>
    [Id(1)]
    public TaskCursor? NextCursor { get; init; }
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>Which page of a task listing (a user's tasks, or everyone's for operators) to read, newest first.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskListQuery")]
public sealed record TaskListQuery
{
    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxLimit = 100;

    /// <summary>The page size when the caller names none.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Only tasks in this state; all tasks when null.</summary>
    [Id(0)]
    public TaskState? Status { get; init; }

    /// <summary>How many tasks at most, from 1 to <see cref="MaxLimit"/>.</summary>
    [Id(1)]
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Where the previous page ended (its <see cref="TaskPage.NextCursor"/>); null for the first page.</summary>
    [Id(2)]
    public TaskCursor? After { get; init; }
}

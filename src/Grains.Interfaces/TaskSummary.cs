namespace TaskQueue.Grains.Interfaces;

/// <summary>One row of a task listing: what the index holds, read without activating the task.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskSummary")]
public sealed record TaskSummary
{
    /// <summary>The task's id.</summary>
    [Id(0)]
    public required Guid Id { get; init; }

    /// <summary>The task type it was submitted as.</summary>
    [Id(1)]
    public required string TaskType { get; init; }

    /// <summary>Where the task is now.</summary>
    [Id(2)]
    public required TaskState Status { get; init; }

    /// <summary>When the task was accepted.</summary>
    [Id(3)]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the task last changed.</summary>
    [Id(4)]
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many attempts have started so far.</summary>
    [Id(5)]
    public required int AttemptCount { get; init; }

    /// <summary>The user the task belongs to: in operators' listings over all users, whose task it is.</summary>
    /// <remarks>Null only in a summary from a silo older than this field, during a rolling update.</remarks>
    [Id(6)]
    public required string UserId { get; init; }
}

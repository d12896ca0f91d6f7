namespace TaskQueue.Grains.Interfaces;

/// <summary>Everything a user may know of one of their tasks.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskView")]
public sealed record TaskView
{
    /// <summary>The task's id.</summary>
    [Id(0)]
    public required Guid Id { get; init; }

    /// <summary>The user the task belongs to.</summary>
    [Id(1)]
    public required string UserId { get; init; }

    /// <summary>The task type it was submitted as.</summary>
    [Id(2)]
    public required string TaskType { get; init; }

    /// <summary>The parameters it was submitted with, defaults filled in.</summary>
    [Id(3)]
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>Where the task is now.</summary>
    [Id(4)]
    public required TaskState Status { get; init; }

    /// <summary>When the task was accepted.</summary>
    [Id(5)]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the task last changed.</summary>
    [Id(6)]
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the next attempt is due, while the task waits for one.</summary>
    [Id(7)]
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>How many attempts the task may take in all.</summary>
    [Id(8)]
    public required int MaxAttempts { get; init; }

    /// <summary>Every attempt so far, oldest first.</summary>
    [Id(9)]
    public required IReadOnlyList<AttemptView> Attempts { get; init; }

    /// <summary>Why the task failed, when it did.</summary>
    [Id(10)]
    public TaskError? Error { get; init; }

    /// <summary>The stored result, when the task succeeded.</summary>
    [Id(11)]
    public TaskResultInfo? Result { get; init; }
}

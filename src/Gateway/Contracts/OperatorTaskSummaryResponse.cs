using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>One row of operators' listing: a task summary as in <c>GET /tasks</c>, and whose task it is.</summary>
public sealed record OperatorTaskSummaryResponse
{
    /// <summary>The task's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The user the task belongs to.</summary>
    public required string UserId { get; init; }

    /// <summary>The task type it was submitted as.</summary>
    public required string TaskType { get; init; }

    /// <summary>Where the task is now.</summary>
    public required TaskState Status { get; init; }

    /// <summary>When the task was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the task last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many attempts have started so far.</summary>
    public required int AttemptCount { get; init; }

    internal static OperatorTaskSummaryResponse From(TaskSummary task) => new()
    {
        Id = task.Id,
        UserId = task.UserId,
        TaskType = task.TaskType,
        Status = task.Status,
        CreatedAt = task.CreatedAt,
        UpdatedAt = task.UpdatedAt,
        AttemptCount = task.AttemptCount,
    };
}

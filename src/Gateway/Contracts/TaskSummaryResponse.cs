using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>One row of a task listing; <c>GET /tasks/{id}</c> has the rest.</summary>
public sealed record TaskSummaryResponse
{
    /// <summary>The task's id.</summary>
    public required Guid Id { get; init; }

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

    internal static TaskSummaryResponse From(TaskSummary task) => new()
    {
        Id = task.Id,
        TaskType = task.TaskType,
        Status = task.Status,
        CreatedAt = task.CreatedAt,
        UpdatedAt = task.UpdatedAt,
        AttemptCount = task.AttemptCount,
    };
}

using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>One of the caller's tasks.</summary>
public sealed record TaskResponse
{
    /// <summary>The task's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The user the task belongs to.</summary>
    public required string UserId { get; init; }

    /// <summary>The task type it was submitted as.</summary>
    public required string TaskType { get; init; }

    /// <summary>The parameters it runs with, defaults filled in.</summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }

    /// <summary>Where the task is now.</summary>
    public required TaskState Status { get; init; }

    /// <summary>When the task was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the task last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the next attempt is due while the task waits for one; null otherwise.</summary>
    public required DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>How many attempts the task may take in all.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Every attempt so far, oldest first.</summary>
    public required IReadOnlyList<AttemptResponse> Attempts { get; init; }

    /// <summary>Why the task failed; null unless it failed.</summary>
    public required TaskErrorResponse? Error { get; init; }

    /// <summary>The stored result and where to fetch it; null unless the task succeeded.</summary>
    public required TaskResultResponse? Result { get; init; }

    internal static TaskResponse From(TaskView task, string pathBase) => new()
    {
        Id = task.Id,
        UserId = task.UserId,
        TaskType = task.TaskType,
        Params = task.Parameters,
        Status = task.Status,
        CreatedAt = task.CreatedAt,
        UpdatedAt = task.UpdatedAt,
        NextAttemptAt = task.NextAttemptAt,
        MaxAttempts = task.MaxAttempts,
        Attempts = [.. task.Attempts.Select(AttemptResponse.From)],
        Error = task.Error is null
            ? null
            : new TaskErrorResponse { Code = task.Error.Code, Message = task.Error.Message },
        Result = task.Result is null ? null : TaskResultResponse.From(task.Id, task.Result, pathBase),
    };
}

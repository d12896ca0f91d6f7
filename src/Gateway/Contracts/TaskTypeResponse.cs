using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>A task type that can be submitted.</summary>
public sealed record TaskTypeResponse
{
    /// <summary>The name to submit as <c>task_type</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the task type does.</summary>
    public required string? Description { get; init; }

    /// <summary>The parameters it takes in <c>params</c>.</summary>
    public required IReadOnlyList<TaskParameterResponse> Parameters { get; init; }

    /// <summary>How many attempts a task of this type may take in all.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>How long one attempt may run, in seconds, before it is abandoned and retried.</summary>
    public required double AttemptDeadlineSeconds { get; init; }

    internal static TaskTypeResponse From(TaskTypeInfo type) => new()
    {
        Name = type.Name,
        Description = type.Description,
        Parameters = [.. type.Parameters.Select(TaskParameterResponse.From)],
        MaxAttempts = type.MaxAttempts,
        AttemptDeadlineSeconds = type.AttemptDeadline.TotalSeconds,
    };
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>What a user asks the queue to do: run one task of a type with its parameters.</summary>
/// <remarks>
/// Parameters are strings in this version: each task type declares which it takes (see
/// <see cref="TaskParameterInfo"/>). The queue forwards them to the task type's service as a JSON object.
/// </remarks>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskSubmission")]
public sealed record TaskSubmission
{
    /// <summary>The user the task belongs to; only this user can read, cancel or fetch it.</summary>
    [Id(0)]
    public required string UserId { get; init; }

    /// <summary>The registered task type, for example <c>syft</c>.</summary>
    [Id(1)]
    public required string TaskType { get; init; }

    /// <summary>The task type's parameters by name.</summary>
    [Id(2)]
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
}

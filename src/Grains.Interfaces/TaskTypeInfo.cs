namespace TaskQueue.Grains.Interfaces;

/// <summary>A task type that can be submitted, as configured on the silos.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskTypeInfo")]
public sealed record TaskTypeInfo
{
    /// <summary>The name to submit, for example <c>syft</c>.</summary>
    [Id(0)]
    public required string Name { get; init; }

    /// <summary>What the task type does.</summary>
    [Id(1)]
    public string? Description { get; init; }

    /// <summary>The parameters it takes.</summary>
    [Id(2)]
    public required IReadOnlyList<TaskParameterInfo> Parameters { get; init; }

    /// <summary>How many attempts a task of this type may take in all.</summary>
    [Id(3)]
    public required int MaxAttempts { get; init; }

    /// <summary>How long one attempt may run before it is abandoned and retried.</summary>
    [Id(4)]
    public required TimeSpan AttemptDeadline { get; init; }
}

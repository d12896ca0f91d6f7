namespace TaskQueue.Grains.Interfaces;

/// <summary>The answer to <see cref="ITaskGrain.SubmitAsync"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.SubmitResult")]
public sealed record SubmitResult
{
    /// <summary>What became of the submission.</summary>
    [Id(0)]
    public required SubmitOutcome Outcome { get; init; }

    /// <summary>The stored task when the outcome is Accepted or AlreadyAccepted.</summary>
    [Id(1)]
    public TaskView? Task { get; init; }

    /// <summary>Why the submission was refused when the outcome is Invalid; empty otherwise.</summary>
    [Id(2)]
    public IReadOnlyList<FieldError> Errors { get; init; } = [];
}

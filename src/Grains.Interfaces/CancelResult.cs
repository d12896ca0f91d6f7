namespace TaskQueue.Grains.Interfaces;

/// <summary>The answer to <see cref="ITaskGrain.CancelAsync"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.CancelResult")]
public sealed record CancelResult
{
    /// <summary>What became of the cancellation.</summary>
    [Id(0)]
    public required CancelOutcome Outcome { get; init; }

    /// <summary>The task as it is now, unless it was not found.</summary>
    [Id(1)]
    public TaskView? Task { get; init; }
}

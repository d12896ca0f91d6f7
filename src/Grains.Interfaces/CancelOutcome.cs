namespace TaskQueue.Grains.Interfaces;

/// <summary>What became of a cancellation.</summary>
[GenerateSerializer]
[Alias("TaskQueue.CancelOutcome")]
public enum CancelOutcome
{
    /// <summary>The task was unfinished and is now cancelled; an attempt in flight was abandoned.</summary>
    Cancelled = 0,

    /// <summary>No such task for this user.</summary>
    NotFound = 1,

    /// <summary>The task had already finished; nothing changed.</summary>
    AlreadyFinished = 2,
}

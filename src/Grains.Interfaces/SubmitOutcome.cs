namespace TaskQueue.Grains.Interfaces;

/// <summary>What became of a submission.</summary>
[GenerateSerializer]
[Alias("TaskQueue.SubmitOutcome")]
public enum SubmitOutcome
{
    /// <summary>The task was stored and will be dispatched.</summary>
    Accepted = 0,

    /// <summary>The same user already submitted the same task under this id; nothing new was stored.</summary>
    AlreadyAccepted = 1,

    /// <summary>The id belongs to a different submission; nothing was stored.</summary>
    Conflict = 2,

    /// <summary>The submission is invalid (see <see cref="SubmitResult.Errors"/>); nothing was stored.</summary>
    Invalid = 3,
}

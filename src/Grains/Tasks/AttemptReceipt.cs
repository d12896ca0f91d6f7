namespace TaskQueue.Grains.Tasks;

/// <summary>What the task grain did with an attempt's report.</summary>
[GenerateSerializer]
[Alias("TaskQueue.AttemptReceipt")]
public enum AttemptReceipt
{
    /// <summary>The outcome was recorded.</summary>
    Recorded = 0,

    /// <summary>The attempt was no longer open; anything it stored may belong to a later attempt: keep it.</summary>
    Ignored = 1,

    /// <summary>
    /// The attempt was no longer open and the task ended without success (cancelled, failed): a result the
    /// attempt stored will never be read and should be deleted.
    /// </summary>
    DiscardResult = 2,
}

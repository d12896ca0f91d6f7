namespace TaskQueue.Grains.Interfaces;

/// <summary>One attempt at a task's service, as recorded before the call and after it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.AttemptView")]
public sealed record AttemptView
{
    /// <summary>1 for the first attempt.</summary>
    [Id(0)]
    public required int Number { get; init; }

    /// <summary>When the attempt was recorded, just before the service was called.</summary>
    [Id(1)]
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the attempt ended; null while it is in flight.</summary>
    [Id(2)]
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How the attempt ended; null while it is in flight.</summary>
    [Id(3)]
    public AttemptOutcome? Outcome { get; init; }

    /// <summary>The HTTP status the service answered, when it answered at all.</summary>
    [Id(4)]
    public int? StatusCode { get; init; }

    /// <summary>Why the attempt failed, when it did: the service's message or the connection error.</summary>
    [Id(5)]
    public string? Message { get; init; }
}

using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>One attempt at the task type's service.</summary>
public sealed record AttemptResponse
{
    /// <summary>1 for the first attempt.</summary>
    public required int Number { get; init; }

    /// <summary>When the attempt started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended; null while it is in flight.</summary>
    public required DateTimeOffset? EndedAt { get; init; }

    /// <summary>How it ended; null while it is in flight.</summary>
    public required AttemptOutcome? Outcome { get; init; }

    /// <summary>The HTTP status the service answered; null when it did not answer.</summary>
    public required int? StatusCode { get; init; }

    /// <summary>Why the attempt failed; null when it did not.</summary>
    public required string? Message { get; init; }

    internal static AttemptResponse From(AttemptView attempt) => new()
    {
        Number = attempt.Number,
        StartedAt = attempt.StartedAt,
        EndedAt = attempt.EndedAt,
        Outcome = attempt.Outcome,
        StatusCode = attempt.StatusCode,
        Message = attempt.Message,
    };
}

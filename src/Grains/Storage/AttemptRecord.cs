using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.Storage;

/// <summary>One attempt as stored: written before the service is called, completed when it answers.</summary>
public sealed class AttemptRecord
{
    public int Number { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public AttemptOutcome? Outcome { get; set; }

    public int? StatusCode { get; set; }

    public string? Message { get; set; }

    public bool IsOpen => EndedAt is null;

    public AttemptView ToView() => new()
    {
        Number = Number,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        Outcome = Outcome,
        StatusCode = StatusCode,
        Message = Message,
    };
}

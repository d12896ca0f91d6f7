using System.Text.Json.Serialization;
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

    /// <summary>
    /// True when the attempt was interrupted because its silo stopped in an orderly way: such an attempt is
    /// not the task's fault and does not count against the task's attempt limit.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool HandedOver { get; set; }

    [JsonIgnore]
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

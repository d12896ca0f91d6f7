using System.Text.Json.Serialization;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.Storage;

/// <summary>
/// The durable record of one task: the task grain's persistent state. Stores keep it as JSON beside a few
/// index columns (user, status, creation time) so that listings never need the grain.
/// </summary>
public sealed class TaskRecord
{
    public Guid Id { get; set; }

    public string UserId { get; set; } = "";

    public string TaskType { get; set; } = "";

    public Dictionary<string, string> Parameters { get; set; } = [];

    public TaskState Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public int MaxAttempts { get; set; }

    public List<AttemptRecord> Attempts { get; set; } = [];

    public TaskError? Error { get; set; }

    public TaskResultInfo? Result { get; set; }

    /// <summary>Attempts that count against <see cref="MaxAttempts"/>: all but those handed over at shutdown.</summary>
    [JsonIgnore]
    public int CountedAttempts => Attempts.Count(a => !a.HandedOver);

    /// <summary>The attempt in flight, when the task is running.</summary>
    [JsonIgnore]
    public AttemptRecord? OpenAttempt => Attempts.Count > 0 && Attempts[^1].IsOpen ? Attempts[^1] : null;

    /// <summary>True once the task was stored; a grain whose record does not exist has Id empty.</summary>
    [JsonIgnore]
    public bool Exists => Id != Guid.Empty;

    public TaskSummary ToSummary() => new()
    {
        Id = Id,
        TaskType = TaskType,
        Status = Status,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        AttemptCount = Attempts.Count,
        UserId = UserId,
    };

    public TaskView ToView() => new()
    {
        Id = Id,
        UserId = UserId,
        TaskType = TaskType,
        Parameters = new Dictionary<string, string>(Parameters),
        Status = Status,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        NextAttemptAt = NextAttemptAt,
        MaxAttempts = MaxAttempts,
        Attempts = Attempts.Select(a => a.ToView()).ToArray(),
        Error = Error,
        Result = Result,
    };
}

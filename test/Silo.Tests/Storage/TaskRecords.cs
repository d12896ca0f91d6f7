using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>Task records for storage tests. Ids and users are random so that suites may share a server.</summary>
internal static class TaskRecords
{
    /// <summary>A fixed instant on a whole millisecond, so index columns hold it exactly.</summary>
    public static readonly DateTimeOffset BaseTime = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    public static string NewUserId() => "user-" + Guid.NewGuid().ToString("N");

    public static TaskRecord New(string userId, DateTimeOffset createdAt, TaskState status = TaskState.Queued) => new()
    {
        Id = Guid.NewGuid(),
        UserId = userId,
        TaskType = "syft",
        Parameters = new Dictionary<string, string> { ["docker_image_id"] = "alpine:3.20" },
        Status = status,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        MaxAttempts = 3,
    };

    /// <summary>A record with every field set, times with sub-millisecond ticks and a non-UTC offset.</summary>
    public static TaskRecord Full(string userId)
    {
        var created = new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.FromHours(2)).AddTicks(5_358_979);
        return new TaskRecord
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            TaskType = "syft",
            Parameters = new Dictionary<string, string>
            {
                ["docker_image_id"] = "docker.io/library/alpine@sha256:" + new string('a', 64),
                ["format"] = "cyclonedx-json",
                ["unicode"] = "grüße, 世界, \u00e9\u0301, \"quoted\" \\ back\nslash",
                ["empty"] = "",
            },
            Status = TaskState.Retrying,
            CreatedAt = created,
            UpdatedAt = created.AddSeconds(42).AddTicks(7),
            NextAttemptAt = created.AddMinutes(1).AddTicks(3),
            MaxAttempts = 5,
            Attempts =
            [
                new AttemptRecord
                {
                    Number = 1,
                    StartedAt = created.AddSeconds(1),
                    EndedAt = created.AddSeconds(2).AddTicks(1),
                    Outcome = AttemptOutcome.TransientFailure,
                    StatusCode = 503,
                    Message = "Service Unavailable: try again",
                },
                new AttemptRecord
                {
                    Number = 2,
                    StartedAt = created.AddSeconds(40),
                },
            ],
            Error = new TaskError { Code = "service_unavailable", Message = "The SBOM service answered 503." },
            Result = new TaskResultInfo
            {
                SizeBytes = 123_456_789_012,
                MediaType = "application/vnd.cyclonedx+json",
                Sha256 = new string('f', 64),
            },
        };
    }

    /// <summary>A copy through the store's JSON form: what a grain would hold after reading.</summary>
    public static TaskRecord Copy(TaskRecord record) => TaskRecordJson.Deserialize(TaskRecordJson.Serialize(record));

    /// <summary>The order listings promise: newest first by creation millisecond, then by id, descending.</summary>
    public static IEnumerable<TaskRecord> NewestFirst(IEnumerable<TaskRecord> records) =>
        records.OrderByDescending(r => r.CreatedAt.ToUnixTimeMilliseconds()).ThenByDescending(r => r.Id);
}

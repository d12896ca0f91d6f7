using System.Buffers;
using System.Text.Json;
using MongoDB.Bson;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// How a task is stored in the <c>tasks</c> collection: the fields listings filter and sort on, the version that
/// is its etag, and the record itself as a nested document in <c>TaskRecordJson</c>'s form.
/// </summary>
/// <remarks>
/// <code>
/// { _id: UUID("..."), user_id: "alice", status: "queued", task_type: "syft",
///   created_at: ISODate(...), updated_at: ISODate(...), attempt_count: 0, version: ObjectId("..."),
///   record: { id: "...", user_id: "alice", task_type: "syft", parameters: { docker_image_id: "..." },
///             status: "queued", created_at: "2026-03-14T15:09:26.5358979+02:00", ... } }
/// </code>
/// The index fields hold times to the millisecond as BSON dates, for sorting and for the shell; the record keeps
/// them as its JSON strings, exact to the tick and with their offset, so a record reads back as it was written.
/// </remarks>
internal static class TaskDocument
{
    public const string Id = "_id";
    public const string UserId = "user_id";
    public const string Status = "status";
    public const string TaskType = "task_type";
    public const string CreatedAt = "created_at";
    public const string UpdatedAt = "updated_at";
    public const string AttemptCount = "attempt_count";
    public const string Version = "version";
    public const string Record = "record";

    /// <summary>The whole document for <paramref name="record"/> at <paramref name="version"/>.</summary>
    public static BsonDocument Create(TaskRecord record, ObjectId version) => new()
    {
        { Id, IdValue(record.Id) },
        { UserId, record.UserId },
        { Status, TaskStateNames.ToName(record.Status) },
        { TaskType, record.TaskType },
        { CreatedAt, Date(record.CreatedAt) },
        { UpdatedAt, Date(record.UpdatedAt) },
        { AttemptCount, record.Attempts.Count },
        { Version, version },
        { Record, JsonBson.ToDocument(JsonSerializer.SerializeToElement(record, TaskRecordJson.Options)) },
    };

    /// <summary>A task id as BSON: a standard (subtype 4) UUID, whose byte order sorts like <see cref="Guid"/>.</summary>
    public static BsonBinaryData IdValue(Guid taskId) => new(taskId, GuidRepresentation.Standard);

    public static BsonDateTime Date(DateTimeOffset time) => new(time.ToUnixTimeMilliseconds());

    private static DateTimeOffset Time(BsonValue date) =>
        DateTimeOffset.FromUnixTimeMilliseconds(date.AsBsonDateTime.MillisecondsSinceEpoch);

    /// <summary>The record stored in <paramref name="document"/>, read through <c>TaskRecordJson</c>.</summary>
    public static TaskRecord ReadRecord(BsonDocument document)
    {
        if (!document.TryGetValue(Record, out var stored) || stored is not BsonDocument record)
        {
            throw new InvalidDataException(
                $"The task document {document.GetValue(Id, BsonNull.Value)} has no record.");
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonBson.WriteJson(record, writer);
        }

        return TaskRecordJson.Deserialize(buffer.WrittenSpan);
    }

    /// <summary>The etag of a stored document.</summary>
    public static string ReadETag(BsonDocument document) => MongoDbETag.ToText(document[Version].AsObjectId);

    /// <summary>A listing row, from the index fields alone (the record is not fetched).</summary>
    public static TaskSummary ReadSummary(BsonDocument document)
    {
        var statusName = document[Status].AsString;
        if (!TaskStateNames.TryParse(statusName, out var status))
        {
            throw new InvalidDataException($"A stored task has the unknown status '{statusName}'.");
        }

        return new TaskSummary
        {
            Id = document[Id].AsBsonBinaryData.ToGuid(GuidRepresentation.Standard),
            UserId = document[UserId].AsString,
            TaskType = document[TaskType].AsString,
            Status = status,
            CreatedAt = Time(document[CreatedAt]),
            UpdatedAt = Time(document[UpdatedAt]),
            AttemptCount = document[AttemptCount].AsInt32,
        };
    }
}

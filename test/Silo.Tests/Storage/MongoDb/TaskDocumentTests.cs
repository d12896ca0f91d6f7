using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The task document, taken through real BSON bytes (what the driver sends and the server stores) and back, with
/// no server: every record field survives, and the index fields hold what listings sort and filter on.
/// </summary>
public sealed class TaskDocumentTests
{
    [Fact]
    public void Create_RecordWithEveryField_ReadsBackEqualThroughBsonBytes()
    {
        var record = TaskRecords.Full(TaskRecords.NewUserId());
        record.Attempts[0].HandedOver = true;

        var stored = ThroughBson(TaskDocument.Create(record, ObjectId.GenerateNewId()));
        var read = TaskDocument.ReadRecord(stored);

        // The store's one JSON form covers every field, times to the tick with their offsets.
        Assert.Equal(TaskRecordJson.Serialize(record), TaskRecordJson.Serialize(read));
        Assert.Equal(record.CreatedAt.UtcTicks, read.CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.FromHours(2), read.CreatedAt.Offset);
        Assert.Equal(record.NextAttemptAt, read.NextAttemptAt);
        Assert.Equal(record.Parameters, read.Parameters);
        Assert.Equal(record.Result, read.Result);
        Assert.Equal(record.Error, read.Error);
        Assert.True(read.Attempts[0].HandedOver);
        Assert.Equal(AttemptOutcome.TransientFailure, read.Attempts[0].Outcome);
        Assert.Null(read.Attempts[1].EndedAt);
    }

    [Fact]
    public void Create_FullRecord_IndexFieldsBesideTheRecord()
    {
        var record = TaskRecords.Full("alice");
        var version = ObjectId.GenerateNewId();

        var document = ThroughBson(TaskDocument.Create(record, version));

        Assert.Equal(
            ["_id", "user_id", "status", "task_type", "created_at", "updated_at", "attempt_count", "version", "record"],
            document.Names);
        var id = document["_id"].AsBsonBinaryData;
        Assert.Equal(BsonBinarySubType.UuidStandard, id.SubType);
        Assert.Equal(record.Id.ToByteArray(bigEndian: true), id.Bytes);
        Assert.Equal("alice", document["user_id"].AsString);
        Assert.Equal("retrying", document["status"].AsString);
        Assert.Equal("syft", document["task_type"].AsString);
        Assert.Equal(new BsonDateTime(record.CreatedAt.ToUnixTimeMilliseconds()), document["created_at"]);
        Assert.Equal(new BsonDateTime(record.UpdatedAt.ToUnixTimeMilliseconds()), document["updated_at"]);
        Assert.Equal(2, document["attempt_count"].AsInt32);
        Assert.Equal(version, document["version"].AsObjectId);
        Assert.Equal(version.ToString(), TaskDocument.ReadETag(document));
    }

    [Fact]
    public void Create_FullRecord_RecordMirrorsTheStoreJsonFieldForField()
    {
        var record = TaskRecords.Full("alice");

        var nested = ThroughBson(TaskDocument.Create(record, ObjectId.GenerateNewId()))["record"].AsBsonDocument;

        // Readable in the shell under the names and values every other store writes.
        using var json = JsonDocument.Parse(TaskRecordJson.Serialize(record));
        Assert.Equal(json.RootElement.EnumerateObject().Select(p => p.Name), nested.Names);
        Assert.Equal(record.Id.ToString(), nested["id"].AsString);
        Assert.Equal("retrying", nested["status"].AsString);
        Assert.Equal(json.RootElement.GetProperty("created_at").GetString(), nested["created_at"].AsString);
        Assert.Equal(record.Parameters["docker_image_id"], nested["parameters"]["docker_image_id"].AsString);
        Assert.Equal(record.Parameters.Keys, nested["parameters"].AsBsonDocument.Names);
        Assert.Equal(BsonType.Int64, nested["result"]["size_bytes"].BsonType);
        Assert.Equal(123_456_789_012, nested["result"]["size_bytes"].AsInt64);
        Assert.Equal(BsonType.Int32, nested["max_attempts"].BsonType);
        Assert.Equal("transient_failure", nested["attempts"][0]["outcome"].AsString);
    }

    [Fact]
    public void Create_ParameterValuesThatLookLikeExtendedJson_StayStrings()
    {
        var record = TaskRecords.New("alice", TaskRecords.BaseTime);
        record.Parameters["tricky"] = "{\"$date\": 0}";
        record.Parameters["number"] = "12345678901234567890";
        record.Parameters["nul"] = "a\0b";

        var read = TaskDocument.ReadRecord(ThroughBson(TaskDocument.Create(record, ObjectId.GenerateNewId())));

        Assert.Equal(record.Parameters, read.Parameters);
    }

    [Theory]
    [InlineData("$where")]
    [InlineData("a.b")]
    [InlineData("nul\0name")]
    public void Create_ParameterNameMongoDbCannotHold_RefusedWithTheName(string name)
    {
        var record = TaskRecords.New("alice", TaskRecords.BaseTime);
        record.Parameters[name] = "x";

        var error = Assert.Throws<ArgumentException>(() => TaskDocument.Create(record, ObjectId.GenerateNewId()));

        Assert.Contains("cannot be stored as a MongoDB field name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadSummary_ListingProjection_FromIndexFieldsToTheMillisecond()
    {
        var record = TaskRecords.Full("alice");
        var document = ThroughBson(TaskDocument.Create(record, ObjectId.GenerateNewId()));
        var projected = new BsonDocument(document.Where(e => TaskQueries.SummaryProjection.Contains(e.Name)));

        var summary = TaskDocument.ReadSummary(projected);

        Assert.Equal(
            new TaskSummary
            {
                Id = record.Id,
                TaskType = "syft",
                Status = TaskState.Retrying,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.CreatedAt.ToUnixTimeMilliseconds()),
                UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.UpdatedAt.ToUnixTimeMilliseconds()),
                AttemptCount = 2,
                UserId = "alice",
            },
            summary);
    }

    [Fact]
    public void ReadSummary_UnknownStatus_SaysSo()
    {
        var document = TaskDocument.Create(TaskRecords.New("alice", TaskRecords.BaseTime), ObjectId.GenerateNewId());
        document["status"] = "paused";

        var error = Assert.Throws<InvalidDataException>(() => TaskDocument.ReadSummary(document));

        Assert.Contains("'paused'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecord_ValueOfATypeOurJsonNeverWrites_SaysTheDocumentWasChanged()
    {
        var document = TaskDocument.Create(TaskRecords.New("alice", TaskRecords.BaseTime), ObjectId.GenerateNewId());
        document["record"]["created_at"] = new BsonDateTime(DateTime.UtcNow);

        var error = Assert.Throws<InvalidDataException>(() => TaskDocument.ReadRecord(document));

        Assert.Contains("DateTime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdValue_RandomIds_SortAsBytesExactlyAsGuidsCompare()
    {
        // MongoDB orders binary values of one length and subtype by their bytes; the listing breaks ties by _id
        // descending and promises the order of Guid.CompareTo, so the two orders must agree.
        var ids = Enumerable.Range(0, 2_000)
            .Select(_ => Guid.NewGuid())
            .Concat([Guid.Empty, Guid.AllBitsSet, Guid.CreateVersion7()])
            .ToList();

        var byBytes = ids.OrderBy(id => TaskDocument.IdValue(id).Bytes, ByteOrder.Instance).ToList();

        Assert.Equal(ids.Order(), byBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an etag")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999999")]
    [InlineData("000000000000000000000000")]
    [InlineData("65f1c0de65f1c0de65f1c0d")]
    [InlineData("65f1c0de65f1c0de65f1c0dzz")]
    public void TryParseETag_AnythingThisBackendNeverAnswered_False(string etag)
    {
        Assert.False(MongoDbETag.TryParse(etag, out _));
    }

    [Fact]
    public void TryParseETag_AnsweredETag_ItsVersion()
    {
        var version = ObjectId.GenerateNewId();

        Assert.True(MongoDbETag.TryParse(MongoDbETag.ToText(version), out var parsed));
        Assert.Equal(version, parsed);
    }

    private static BsonDocument ThroughBson(BsonDocument document) =>
        BsonSerializer.Deserialize<BsonDocument>(document.ToBson());

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}

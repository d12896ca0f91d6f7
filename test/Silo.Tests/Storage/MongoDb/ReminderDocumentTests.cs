using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>Reminder documents and the reminder table's filters, checked without a server.</summary>
public sealed class ReminderDocumentTests
{
    [Fact]
    public void Upsert_NewReminder_DocumentTheServerCreatesReadsBackEqual()
    {
        var entry = new ReminderEntry
        {
            GrainId = GrainWithHashAbove(int.MaxValue),
            ReminderName = "recovery",
            StartAt = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
            Period = TimeSpan.FromMinutes(3) + TimeSpan.FromMilliseconds(250),
        };
        var etag = ObjectId.GenerateNewId();

        // An upsert that inserts stores the filter's equality fields and the $set fields.
        var created = ReminderDocument.Key("svc", entry.GrainId, entry.ReminderName)
            .AddRange(ReminderDocument.Upsert(entry, etag)["$set"].AsBsonDocument);
        var read = ReminderDocument.Read(BsonSerializer.Deserialize<BsonDocument>(created.ToBson()));

        Assert.Equal(entry.GrainId, read.GrainId);
        Assert.Equal("recovery", read.ReminderName);
        Assert.Equal(entry.StartAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(entry.Period, read.Period);
        Assert.Equal(etag.ToString(), read.ETag);
        Assert.Equal((long)entry.GrainId.GetUniformHashCode(), created["grain_hash"].AsInt64);
        Assert.True(created["grain_hash"].AsInt64 > int.MaxValue);
    }

    [Fact]
    public void Upsert_StartAtWithoutKind_TakenAsUtc()
    {
        var entry = new ReminderEntry
        {
            GrainId = GrainId.Create("task", "k"),
            ReminderName = "r",
            StartAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
            Period = TimeSpan.FromMinutes(1),
        };

        var set = ReminderDocument.Upsert(entry, ObjectId.GenerateNewId())["$set"].AsBsonDocument;

        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), set["start_at"].ToUniversalTime());
    }

    [Fact]
    public void InRange_BeginBelowEnd_OneBoundedRange()
    {
        Assert.Equal(
            new BsonDocument
            {
                { "service_id", "svc" },
                { "grain_hash", new BsonDocument { { "$gt", 10L }, { "$lte", 4_000_000_000L } } },
            },
            ReminderDocument.InRange("svc", 10, 4_000_000_000));
    }

    [Theory]
    [InlineData(4_000_000_000u, 10u)]
    [InlineData(77u, 77u)]
    [InlineData(uint.MaxValue, 0u)]
    public void InRange_BeginNotBelowEnd_WrapsPastTheTopOfTheRing(uint begin, uint end)
    {
        Assert.Equal(
            new BsonDocument
            {
                { "service_id", "svc" },
                {
                    "$or",
                    new BsonArray
                    {
                        new BsonDocument("grain_hash", new BsonDocument("$gt", (long)begin)),
                        new BsonDocument("grain_hash", new BsonDocument("$lte", (long)end)),
                    }
                },
            },
            ReminderDocument.InRange("svc", begin, end));
    }

    [Fact]
    public void KeyAndETag_Remove_MatchesOnlyThatVersion()
    {
        var etag = ObjectId.GenerateNewId();

        var filter = ReminderDocument.KeyAndETag("svc", GrainId.Create("task", "k"), "r", etag);

        Assert.Equal(
            new BsonDocument
            {
                { "service_id", "svc" }, { "grain_id", "task/k" }, { "reminder_name", "r" }, { "etag", etag },
            },
            filter);
    }

    private static GrainId GrainWithHashAbove(long bound)
    {
        for (var i = 0; ; i++)
        {
            var grain = GrainId.Create("task", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (grain.GetUniformHashCode() > bound)
            {
                return grain;
            }
        }
    }
}

using System.Globalization;
using MongoDB.Bson;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// How a reminder is stored in the <c>reminders</c> collection, and the filters the reminder table sends.
/// </summary>
/// <remarks>
/// <code>
/// { _id: ObjectId("..."), service_id: "taskqueue", grain_id: "task/0198...", reminder_name: "recovery",
///   grain_hash: NumberLong(3141592653), start_at: ISODate(...), period_ms: NumberLong(60000), etag: ObjectId("...") }
/// </code>
/// Times are kept to the millisecond, as Orleans' own SQL reminder tables keep them. <c>grain_hash</c> is
/// <see cref="GrainId.GetUniformHashCode"/>, an unsigned 32-bit number, stored as a 64-bit one because BSON has
/// no unsigned integers.
/// </remarks>
internal static class ReminderDocument
{
    public const string ServiceId = "service_id";
    public const string Grain = "grain_id";
    public const string ReminderName = "reminder_name";
    public const string GrainHash = "grain_hash";
    public const string StartAt = "start_at";
    public const string PeriodMilliseconds = "period_ms";
    public const string ETag = "etag";

    /// <summary>The key that identifies one reminder (the unique index's fields).</summary>
    public static BsonDocument Key(string serviceId, GrainId grainId, string reminderName) => new()
    {
        { ServiceId, serviceId },
        { Grain, grainId.ToString() },
        { ReminderName, reminderName },
    };

    /// <summary>The reminder only while its etag is still <paramref name="etag"/>.</summary>
    public static BsonDocument KeyAndETag(string serviceId, GrainId grainId, string reminderName, ObjectId etag)
    {
        var filter = Key(serviceId, grainId, reminderName);
        filter.Add(ETag, etag);
        return filter;
    }

    /// <summary>Sets everything but the key; with upsert, the key's fields come from the filter.</summary>
    public static BsonDocument Upsert(ReminderEntry entry, ObjectId etag) => new(
        "$set",
        new BsonDocument
        {
            { GrainHash, (long)entry.GrainId.GetUniformHashCode() },
            { StartAt, new BsonDateTime(OrleansTimes.AsUtc(entry.StartAt)) },
            { PeriodMilliseconds, (long)entry.Period.TotalMilliseconds },
            { ETag, etag },
        });

    /// <summary>
    /// A service's reminders whose grain hash is in the ring range (begin, end]; when begin &gt;= end the range wraps
    /// past the top of the ring, and begin == end is the whole ring, as in Orleans' own tables.
    /// </summary>
    public static BsonDocument InRange(string serviceId, uint begin, uint end)
    {
        var filter = new BsonDocument(ServiceId, serviceId);
        if (begin < end)
        {
            filter.Add(GrainHash, new BsonDocument { { "$gt", (long)begin }, { "$lte", (long)end } });
        }
        else
        {
            filter.Add("$or", new BsonArray
            {
                new BsonDocument(GrainHash, new BsonDocument("$gt", (long)begin)),
                new BsonDocument(GrainHash, new BsonDocument("$lte", (long)end)),
            });
        }

        return filter;
    }

    public static ReminderEntry Read(BsonDocument document) => new()
    {
        GrainId = GrainId.Parse(document[Grain].AsString, CultureInfo.InvariantCulture),
        ReminderName = document[ReminderName].AsString,
        StartAt = document[StartAt].ToUniversalTime(),
        Period = TimeSpan.FromMilliseconds(document[PeriodMilliseconds].ToInt64()),
        ETag = MongoDbETag.ToText(document[ETag].AsObjectId),
    };
}

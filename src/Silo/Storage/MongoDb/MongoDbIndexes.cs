using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// The indexes the backend needs, by collection. Created at start when
/// <see cref="MongoDbStorageOptions.CreateIndexesOnStart"/> is on; docs/storage-mongodb.md lists them for
/// administrators who create them by hand. Names are fixed: a later build that changes an index gives it a new name.
/// </summary>
internal static class MongoDbIndexes
{
    /// <summary>A user's tasks, newest first: the listing walks it from its cursor.</summary>
    public static MongoDbIndex TasksByUser { get; } = new(
        MongoDbCollections.Tasks,
        "tasks_by_user",
        new BsonDocument { { "user_id", 1 }, { "created_at", -1 }, { "_id", -1 } },
        Unique: false);

    /// <summary>A user's tasks of one status, newest first.</summary>
    public static MongoDbIndex TasksByUserAndStatus { get; } = new(
        MongoDbCollections.Tasks,
        "tasks_by_user_status",
        new BsonDocument { { "user_id", 1 }, { "status", 1 }, { "created_at", -1 }, { "_id", -1 } },
        Unique: false);

    /// <summary>
    /// Every user's tasks of one status, newest first: operators' listing walks one range of it per status. One index,
    /// not a second one without the status, because each index is one more entry to write per task.
    /// </summary>
    public static MongoDbIndex TasksByStatus { get; } = new(
        MongoDbCollections.Tasks,
        "tasks_by_status",
        new BsonDocument { { "status", 1 }, { "created_at", -1 }, { "_id", -1 } },
        Unique: false);

    /// <summary>One reminder per service, grain and name: upserts find it, racing upserts cannot double it.</summary>
    public static MongoDbIndex RemindersByGrain { get; } = new(
        MongoDbCollections.Reminders,
        "reminders_by_grain",
        new BsonDocument { { "service_id", 1 }, { "grain_id", 1 }, { "reminder_name", 1 } },
        Unique: true);

    /// <summary>A service's reminders by grain hash, for the ring-range reads of each silo's share.</summary>
    public static MongoDbIndex RemindersByHash { get; } = new(
        MongoDbCollections.Reminders,
        "reminders_by_hash",
        new BsonDocument { { "service_id", 1 }, { "grain_hash", 1 } },
        Unique: false);

    /// <summary>Every index, in the order they are created. Membership needs none beyond <c>_id</c>.</summary>
    public static IReadOnlyList<MongoDbIndex> All { get; } =
        [TasksByUser, TasksByUserAndStatus, TasksByStatus, RemindersByGrain, RemindersByHash];
}

/// <summary>One index: where it lives, its name, its keys and whether it is unique.</summary>
internal sealed record MongoDbIndex(string Collection, string Name, BsonDocument Keys, bool Unique)
{
    public CreateIndexModel<BsonDocument> ToModel() =>
        new(
            new BsonDocumentIndexKeysDefinition<BsonDocument>(Keys),
            new CreateIndexOptions { Name = Name, Unique = Unique });
}

using MongoDB.Bson;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// The filters, sort and projection the task store sends, built as plain documents so that they read like the
/// shell commands in docs/storage-mongodb.md and tests can look at their exact shape.
/// </summary>
internal static class TaskQueries
{
    /// <summary>Newest first, ties on the millisecond broken by the id: the order both task indexes hold.</summary>
    public static BsonDocument ListSort { get; } = new() { { TaskDocument.CreatedAt, -1 }, { TaskDocument.Id, -1 } };

    /// <summary>What a listing reads: the index fields, never the record.</summary>
    public static BsonDocument SummaryProjection { get; } = new()
    {
        { TaskDocument.Id, 1 },
        { TaskDocument.UserId, 1 },
        { TaskDocument.TaskType, 1 },
        { TaskDocument.Status, 1 },
        { TaskDocument.CreatedAt, 1 },
        { TaskDocument.UpdatedAt, 1 },
        { TaskDocument.AttemptCount, 1 },
    };

    public static BsonDocument ById(Guid taskId) => new(TaskDocument.Id, TaskDocument.IdValue(taskId));

    /// <summary>The document while it is still at <paramref name="version"/>: the optimistic concurrency check.</summary>
    public static BsonDocument ByIdAndVersion(Guid taskId, ObjectId version) => new()
    {
        { TaskDocument.Id, TaskDocument.IdValue(taskId) },
        { TaskDocument.Version, version },
    };

    /// <summary>
    /// One user's tasks (of one status), strictly after the cursor in <see cref="ListSort"/> order. The cursor is a
    /// keyset bound, never a count of rows to skip, so the thousandth page costs what the first does: the
    /// <c>created_at</c> bound starts the index scan at the cursor, and the <c>$or</c> only sorts out the tasks
    /// created in the cursor's own millisecond.
    /// </summary>
    public static BsonDocument ListFilter(string userId, TaskListQuery query)
    {
        var filter = new BsonDocument(TaskDocument.UserId, userId);
        if (query.Status is { } status)
        {
            filter.Add(TaskDocument.Status, TaskStateNames.ToName(status));
        }

        return AddCursor(filter, query);
    }

    /// <summary>
    /// Every user's tasks of the status named <paramref name="status"/>, strictly after the cursor in
    /// <see cref="ListSort"/> order: one range of the <c>tasks_by_status</c> index. A listing of all statuses reads
    /// one such range per status and merges them.
    /// </summary>
    public static BsonDocument ListAllFilter(string status, TaskListQuery query) =>
        AddCursor(new BsonDocument(TaskDocument.Status, status), query);

    private static BsonDocument AddCursor(BsonDocument filter, TaskListQuery query)
    {
        if (query.After is { } after)
        {
            var createdAt = TaskDocument.Date(after.CreatedAt);
            filter.Add(TaskDocument.CreatedAt, new BsonDocument("$lte", createdAt));
            filter.Add("$or", new BsonArray
            {
                new BsonDocument(TaskDocument.CreatedAt, new BsonDocument("$lt", createdAt)),
                new BsonDocument(TaskDocument.Id, new BsonDocument("$lt", TaskDocument.IdValue(after.TaskId))),
            });
        }

        return filter;
    }
}

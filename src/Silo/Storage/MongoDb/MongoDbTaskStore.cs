using MongoDB.Bson;
using MongoDB.Driver;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// <see cref="ITaskStore"/> on the <c>tasks</c> collection. An etag is the document's <c>version</c>, a new
/// ObjectId on every write: unlike a counter, it never repeats after a task is deleted and created again, so a
/// writer holding an old etag can never overwrite the new record.
/// </summary>
/// <remarks>
/// Every write is one single-document operation, atomic on any MongoDB deployment without a transaction: a create
/// is an insert that the unique <c>_id</c> refuses when the task exists; an update replaces the document only where
/// <c>_id</c> and <c>version</c> still match; a delete does the same. A duplicate key or no match is a conflict.
/// </remarks>
internal sealed class MongoDbTaskStore(MongoDbDatabase database, ILogger<MongoDbTaskStore> logger) : ITaskStore
{
    public async Task<StoredTask?> ReadAsync(Guid taskId, CancellationToken cancellationToken)
    {
        var document = await database.Tasks
            .Find(TaskQueries.ById(taskId))
            .FirstOrDefaultAsync(cancellationToken);
        return document is null
            ? null
            : new StoredTask(TaskDocument.ReadRecord(document), TaskDocument.ReadETag(document));
    }

    public async Task<string> WriteAsync(TaskRecord record, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Exists)
        {
            throw new ArgumentException("A task record needs an id to be stored.", nameof(record));
        }

        ArgumentException.ThrowIfNullOrEmpty(record.UserId, $"{nameof(record)}.{nameof(record.UserId)}");

        var version = ObjectId.GenerateNewId();
        var document = TaskDocument.Create(record, version);
        if (expectedETag is null)
        {
            try
            {
                await database.Tasks.InsertOneAsync(document, options: null, cancellationToken);
            }
            catch (MongoWriteException exists) when (exists.WriteError?.Category is ServerErrorCategory.DuplicateKey)
            {
                // The conflict carries the task id, which is all a caller needs; the driver's error says no more.
                throw Conflict(record.Id, expectedETag);
            }

            return MongoDbETag.ToText(version);
        }

        if (!MongoDbETag.TryParse(expectedETag, out var expected))
        {
            throw Conflict(record.Id, expectedETag);
        }

        var replaced = await database.Tasks.ReplaceOneAsync(
            TaskQueries.ByIdAndVersion(record.Id, expected),
            document,
            new ReplaceOptions { IsUpsert = false },
            cancellationToken);
        return replaced.MatchedCount == 1
            ? MongoDbETag.ToText(version)
            : throw Conflict(record.Id, expectedETag);
    }

    public async Task DeleteAsync(Guid taskId, string expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedETag);
        if (!MongoDbETag.TryParse(expectedETag, out var expected))
        {
            throw Conflict(taskId, expectedETag);
        }

        var deleted = await database.Tasks.DeleteOneAsync(
            TaskQueries.ByIdAndVersion(taskId, expected), cancellationToken);
        if (deleted.DeletedCount != 1)
        {
            throw Conflict(taskId, expectedETag);
        }
    }

    public async Task<TaskPage> ListByUserAsync(string userId, TaskListQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        CheckQuery(query);

        // One more than asked tells whether another page exists without counting.
        var items = await ReadSummariesAsync(TaskQueries.ListFilter(userId, query), query.Limit + 1, cancellationToken);
        return TaskPages.FromRowsWithLookahead(items, query.Limit);
    }

    public async Task<TaskPage> ListAllAsync(TaskListQuery query, CancellationToken cancellationToken)
    {
        CheckQuery(query);

        // One range of tasks_by_status per status, read together, each stopped after a page; the newest of them make
        // the page. One index serves the filtered and the unfiltered listing, so writes keep one index more, not two.
        IReadOnlyList<string> statuses =
            query.Status is { } status ? [TaskStateNames.ToName(status)] : TaskStateNames.All;
        var ranges = await Task.WhenAll(statuses.Select(name =>
            ReadSummariesAsync(TaskQueries.ListAllFilter(name, query), query.Limit + 1, cancellationToken)));
        var items = ranges
            .SelectMany(range => range)
            .OrderByDescending(summary => summary.CreatedAt)
            .ThenByDescending(summary => summary.Id)
            .Take(query.Limit + 1)
            .ToList();
        return TaskPages.FromRowsWithLookahead(items, query.Limit);
    }

    private async Task<List<TaskSummary>> ReadSummariesAsync(
        BsonDocument filter,
        int limit,
        CancellationToken cancellationToken)
    {
        var documents = await database.Tasks
            .Find(filter)
            .Sort(TaskQueries.ListSort)
            .Limit(limit)
            .Project(TaskQueries.SummaryProjection)
            .ToListAsync(cancellationToken);
        return documents.Select(TaskDocument.ReadSummary).ToList();
    }

    private static void CheckQuery(TaskListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, $"{nameof(query)}.{nameof(query.Limit)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            query.Limit, TaskListQuery.MaxLimit, $"{nameof(query)}.{nameof(query.Limit)}");
    }

    private TaskStoreConflictException Conflict(Guid taskId, string? expectedETag)
    {
        MongoDbStorageLog.TaskWriteConflict(logger, taskId, expectedETag ?? "none");
        return new TaskStoreConflictException(taskId, expectedETag);
    }
}

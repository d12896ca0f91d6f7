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
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, $"{nameof(query)}.{nameof(query.Limit)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            query.Limit, TaskListQuery.MaxLimit, $"{nameof(query)}.{nameof(query.Limit)}");

        // One more than asked tells whether another page exists without counting.
        var documents = await database.Tasks
            .Find(TaskQueries.ListFilter(userId, query))
            .Sort(TaskQueries.ListSort)
            .Limit(query.Limit + 1)
            .Project(TaskQueries.SummaryProjection)
            .ToListAsync(cancellationToken);
        var items = documents.Select(TaskDocument.ReadSummary).ToList();
        if (items.Count <= query.Limit)
        {
            return new TaskPage { Items = items };
        }

        items.RemoveAt(items.Count - 1);
        var last = items[^1];
        return new TaskPage
        {
            Items = items,
            NextCursor = new TaskCursor { CreatedAt = last.CreatedAt, TaskId = last.Id },
        };
    }

    private TaskStoreConflictException Conflict(Guid taskId, string? expectedETag)
    {
        MongoDbStorageLog.TaskWriteConflict(logger, taskId, expectedETag ?? "none");
        return new TaskStoreConflictException(taskId, expectedETag);
    }
}

using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// <see cref="ITaskStore"/> on PostgreSQL: one row per task, the record as JSON beside the index columns listings
/// read. An etag is the row's version, drawn from the schema's one sequence, as text.
/// </summary>
/// <remarks>
/// Reads and listings are one statement each on a pooled connection. Writes go through the database's
/// <see cref="PostgreSqlWriter"/>, which commits the writes that arrive together in one batch; a write is answered once
/// it is committed (fsync included), so an acknowledged write is durable.
/// </remarks>
internal sealed class PostgreSqlTaskStore : ITaskStore
{
    /// <summary>About what a write's parameters weigh besides the record's JSON.</summary>
    private const int SmallWriteBytes = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlWriter _writer;
    private readonly string _readSql;
    private readonly string _insertSql;
    private readonly string _updateSql;
    private readonly string _deleteSql;
    private readonly string _tasksTable;

    public PostgreSqlTaskStore(PostgreSqlDatabase database)
    {
        _dataSource = database.DataSource;
        _writer = database.Writer;
        var tables = database.Tables;
        _tasksTable = tables.Tasks;
        _readSql = $"SELECT record, version FROM {tables.Tasks} WHERE task_id = $1";

        // ON CONFLICT DO NOTHING turns "the task exists already" into no row returned, not an error.
        _insertSql = $"""
            INSERT INTO {tables.Tasks} (
                task_id, user_id, status, task_type, created_at, updated_at, attempt_count, record, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval({tables.ETagsLiteral}))
            ON CONFLICT (task_id) DO NOTHING
            RETURNING version
            """;
        _updateSql = $"""
            UPDATE {tables.Tasks}
            SET user_id = $2, status = $3, task_type = $4, created_at = $5, updated_at = $6, attempt_count = $7,
                record = $8, version = nextval({tables.ETagsLiteral})
            WHERE task_id = $1 AND version = $9
            RETURNING version
            """;
        _deleteSql = $"DELETE FROM {tables.Tasks} WHERE task_id = $1 AND version = $2 RETURNING version";
    }

    public Task<StoredTask?> ReadAsync(Guid taskId, CancellationToken cancellationToken) =>
        PostgreSqlRetry.OnceIfSessionEndedAsync(_dataSource, () => ReadOnceAsync(taskId, cancellationToken));

    private async Task<StoredTask?> ReadOnceAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(_readSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = taskId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var record = TaskRecordJson.Deserialize(reader.GetString(0));
        return new StoredTask(record, ETagOf(reader.GetInt64(1)));
    }

    public async Task<string> WriteAsync(TaskRecord record, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Exists)
        {
            throw new ArgumentException("A task record needs an id to be stored.", nameof(record));
        }

        ArgumentException.ThrowIfNullOrEmpty(record.UserId, $"{nameof(record)}.{nameof(record.UserId)}");
        long? expectedVersion = null;
        if (expectedETag is not null)
        {
            if (!TryParseETag(expectedETag, out var parsed))
            {
                throw new TaskStoreConflictException(record.Id, expectedETag);
            }

            expectedVersion = parsed;
        }

        // Computed here, on the caller's thread, so that the writer's batches spend their time on the database.
        var taskId = record.Id;
        var userId = record.UserId;
        var status = TaskStateNames.ToName(record.Status);
        var taskType = record.TaskType;
        var createdAt = ToMilliseconds(record.CreatedAt);
        var updatedAt = ToMilliseconds(record.UpdatedAt);
        var attemptCount = record.Attempts.Count;
        var json = TaskRecordJson.Serialize(record);
        var result = await _writer.WriteAsync(
            KeyOf(taskId),
            expectedVersion is null ? _insertSql : _updateSql,
            parameters =>
            {
                parameters.Add(new NpgsqlParameter<Guid> { TypedValue = taskId });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = taskType });
                parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = createdAt });
                parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = updatedAt });
                parameters.Add(new NpgsqlParameter<int> { TypedValue = attemptCount });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = json, NpgsqlDbType = NpgsqlDbType.Json });
                if (expectedVersion is { } expected)
                {
                    parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
                }
            },
            SmallWriteBytes + json.Length,
            cancellationToken);

        // No row back: the insert met an existing task, or the update met another version (or no task).
        return result is long version ? ETagOf(version) : throw new TaskStoreConflictException(taskId, expectedETag);
    }

    public async Task DeleteAsync(Guid taskId, string expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedETag);
        if (!TryParseETag(expectedETag, out var expectedVersion))
        {
            throw new TaskStoreConflictException(taskId, expectedETag);
        }

        var result = await _writer.WriteAsync(
            KeyOf(taskId),
            _deleteSql,
            parameters =>
            {
                parameters.Add(new NpgsqlParameter<Guid> { TypedValue = taskId });
                parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
            },
            SmallWriteBytes,
            cancellationToken);
        if (result is null)
        {
            throw new TaskStoreConflictException(taskId, expectedETag);
        }
    }

    public async Task<TaskPage> ListByUserAsync(
        string userId,
        TaskListQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, $"{nameof(query)}.{nameof(query.Limit)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            query.Limit, TaskListQuery.MaxLimit, $"{nameof(query)}.{nameof(query.Limit)}");

        return await PostgreSqlRetry.OnceIfSessionEndedAsync(
            _dataSource, () => ListOnceAsync(userId, query, cancellationToken));
    }

    private async Task<TaskPage> ListOnceAsync(string userId, TaskListQuery query, CancellationToken cancellationToken)
    {
        // The plan is pinned to walking the index in order. With statistics older than a user's growth (a user who
        // went from nothing to 100,000 tasks since the last ANALYZE), PostgreSQL estimates a handful of rows and would
        // rather collect all of the user's rows with a bitmap scan and sort them: 13-40 ms at 100,000 tasks and
        // growing with them, where the ordered walk takes well under a millisecond whatever the count. SET LOCAL
        // lasts for this batch's transaction only, and the batch is one round trip.
        await using var batch = _dataSource.CreateBatch();
        foreach (var setting in ListPlanSettings)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }

        var command = new NpgsqlBatchCommand(ListSql(_tasksTable, query));
        batch.BatchCommands.Add(command);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });

        // One row more than asked tells whether another page exists without counting.
        parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 });
        if (query.Status is { } status)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = TaskStateNames.ToName(status) });
        }

        if (query.After is { } after)
        {
            parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = ToMilliseconds(after.CreatedAt) });
            parameters.Add(new NpgsqlParameter<Guid> { TypedValue = after.TaskId });
        }

        var items = new List<TaskSummary>(query.Limit + 1);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The SET statements return no rows; the listing's rows are in the last result.
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    items.Add(ReadSummary(reader));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

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

    /// <summary>What the listing sets for its own transaction, so that its plan is an ordered walk of an index.</summary>
    internal static IReadOnlyList<string> ListPlanSettings { get; } =
        ["SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_sort = off"];

    /// <summary>
    /// The listing's SQL: a keyset walk down one index (never OFFSET), so a late page costs what the first does.
    /// Parameters: $1 user, $2 rows to fetch, then the status when filtered, then the cursor's time and id.
    /// </summary>
    internal static string ListSql(string tasksTable, TaskListQuery query)
    {
        var sql = new StringBuilder(
            $"SELECT task_id, task_type, status, created_at, updated_at, attempt_count FROM {tasksTable} "
            + "WHERE user_id = $1");
        var next = 3;
        if (query.Status is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND status = ${next++}");
        }

        if (query.After is not null)
        {
            // A row comparison that PostgreSQL turns into a range on the index: ties on the millisecond are broken
            // by the id exactly as the ORDER BY breaks them.
            sql.Append(CultureInfo.InvariantCulture, $" AND (created_at, task_id) < (${next}, ${next + 1})");
        }

        sql.Append(" ORDER BY created_at DESC, task_id DESC LIMIT $2");
        return sql.ToString();
    }

    /// <summary>
    /// The index columns hold times to the millisecond, as the embedded store does and as cursors carry them, so that
    /// every backend orders ties the same way.
    /// </summary>
    internal static DateTimeOffset ToMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static TaskSummary ReadSummary(NpgsqlDataReader reader)
    {
        var statusName = reader.GetString(2);
        if (!TaskStateNames.TryParse(statusName, out var status))
        {
            throw new InvalidDataException($"A stored task has the unknown status '{statusName}'.");
        }

        return new TaskSummary
        {
            Id = reader.GetGuid(0),
            TaskType = reader.GetString(1),
            Status = status,
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            AttemptCount = reader.GetInt32(5),
        };
    }

    /// <summary>The writer's ordering key: batches lock task rows in the order of their ids.</summary>
    private static string KeyOf(Guid taskId) => "task " + taskId.ToString("D", CultureInfo.InvariantCulture);

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseETag(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
}

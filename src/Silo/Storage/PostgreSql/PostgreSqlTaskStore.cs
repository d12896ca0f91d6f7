using System.Globalization;
using Npgsql;
using NpgsqlTypes;
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
internal sealed partial class PostgreSqlTaskStore : ITaskStore
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

    /// <summary>
    /// The index columns hold times to the millisecond, as the embedded store does and as cursors carry them, so that
    /// every backend orders ties the same way.
    /// </summary>
    internal static DateTimeOffset ToMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>The writer's ordering key: batches lock task rows in the order of their ids.</summary>
    private static string KeyOf(Guid taskId) => "task " + taskId.ToString("D", CultureInfo.InvariantCulture);

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseETag(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
}

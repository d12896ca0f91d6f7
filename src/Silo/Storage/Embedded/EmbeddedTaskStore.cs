using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// <see cref="ITaskStore"/> on the embedded SQLite file: reads on pooled read-only connections, writes through
/// the database's single group-committing writer. An etag is the row's version number as text.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's asynchronous methods complete synchronously. A read is a few page lookups, mostly
/// from SQLite's cache, and its caller awaits it anyway, so it runs on the calling thread; only writes, which
/// wait for the disk, go to the writer's own thread.
/// </remarks>
internal sealed partial class EmbeddedTaskStore(EmbeddedDatabase database) : ITaskStore
{
    private const string InsertSql = """
        INSERT INTO tasks (
            task_id, user_id, status, task_type, created_at, updated_at, attempt_count, version, record)
        VALUES ($task_id, $user_id, $status, $task_type, $created_at, $updated_at, $attempt_count, $version, $record)
        ON CONFLICT (task_id) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE tasks
        SET user_id = $user_id, status = $status, task_type = $task_type, created_at = $created_at,
            updated_at = $updated_at, attempt_count = $attempt_count, version = $version, record = $record
        WHERE task_id = $task_id AND version = $expected_version
        """;

    private const string DeleteSql = "DELETE FROM tasks WHERE task_id = $task_id AND version = $expected_version";

    public async Task<StoredTask?> ReadAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record, version FROM tasks WHERE task_id = $task_id";
        command.Parameters.AddWithValue("$task_id", TaskIdText(taskId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        // The JSON is read as its UTF-8 bytes, as stored, without an intermediate string.
        var record = TaskRecordJson.Deserialize(reader.GetFieldValue<byte[]>(0));
        return new StoredTask(record, ETagOf(reader.GetInt64(1)));
    }

    public Task<string> WriteAsync(TaskRecord record, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Exists)
        {
            throw new ArgumentException("A task record needs an id to be stored.", nameof(record));
        }

        ArgumentException.ThrowIfNullOrEmpty(record.UserId, $"{nameof(record)}.{nameof(record.UserId)}");

        // Serialized here, on the caller's thread, so that the single writer spends its time on the disk alone.
        var row = new TaskRow(record);
        long? expectedVersion = null;
        if (expectedETag is not null)
        {
            if (!TryParseETag(expectedETag, out var parsed))
            {
                return Task.FromException<string>(new TaskStoreConflictException(record.Id, expectedETag));
            }

            expectedVersion = parsed;
        }

        return database.WriteAsync(context => Write(context, row, expectedVersion, expectedETag), cancellationToken);
    }

    public Task DeleteAsync(Guid taskId, string expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedETag);
        if (!TryParseETag(expectedETag, out var expectedVersion))
        {
            return Task.FromException(new TaskStoreConflictException(taskId, expectedETag));
        }

        var taskIdText = TaskIdText(taskId);
        return database.WriteAsync(
            context =>
            {
                var command = context.Command(DeleteSql);
                command.Parameters.AddWithValue("$task_id", taskIdText);
                command.Parameters.AddWithValue("$expected_version", expectedVersion);
                return command.ExecuteNonQuery() == 1
                    ? true
                    : throw new TaskStoreConflictException(taskId, expectedETag);
            },
            cancellationToken);
    }

    private static string Write(WriteBatchContext context, TaskRow row, long? expectedVersion, string? expectedETag)
    {
        var version = context.NextVersion();
        var command = context.Command(expectedVersion is null ? InsertSql : UpdateSql);
        row.Bind(command, version);
        if (expectedVersion is { } expected)
        {
            command.Parameters.AddWithValue("$expected_version", expected);
        }

        // An insert that meets an existing row, or an update that meets another version, changes nothing.
        return command.ExecuteNonQuery() == 1
            ? ETagOf(version)
            : throw new TaskStoreConflictException(row.TaskId, expectedETag);
    }

    // Lowercase "D" text sorts like Guid.CompareTo and like TaskCursor's big-endian bytes, so the listing's
    // order, its cursor and other backends agree.
    internal static string TaskIdText(Guid taskId) => taskId.ToString("D", CultureInfo.InvariantCulture);

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseETag(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;

    /// <summary>A record ready for the writer: its JSON and index columns computed ahead.</summary>
    private sealed class TaskRow(TaskRecord record)
    {
        private readonly string _taskId = TaskIdText(record.Id);
        private readonly string _userId = record.UserId;
        private readonly string _status = TaskStateNames.ToName(record.Status);
        private readonly string _taskType = record.TaskType;
        private readonly long _createdAt = record.CreatedAt.ToUnixTimeMilliseconds();
        private readonly long _updatedAt = record.UpdatedAt.ToUnixTimeMilliseconds();
        private readonly int _attemptCount = record.Attempts.Count;
        private readonly string _json = TaskRecordJson.Serialize(record);

        public Guid TaskId { get; } = record.Id;

        public void Bind(SqliteCommand command, long version)
        {
            command.Parameters.AddWithValue("$task_id", _taskId);
            command.Parameters.AddWithValue("$user_id", _userId);
            command.Parameters.AddWithValue("$status", _status);
            command.Parameters.AddWithValue("$task_type", _taskType);
            command.Parameters.AddWithValue("$created_at", _createdAt);
            command.Parameters.AddWithValue("$updated_at", _updatedAt);
            command.Parameters.AddWithValue("$attempt_count", _attemptCount);
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$record", _json);
        }
    }
}

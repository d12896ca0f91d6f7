using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>Listings: keyset walks down an index, never OFFSET, so a late page costs what the first one does.</summary>
internal sealed partial class EmbeddedTaskStore
{
    private const string SummaryColumns = "task_id, user_id, task_type, status, created_at, updated_at, attempt_count";
    private const string NewestFirst = "ORDER BY created_at DESC, task_id DESC";

    // A row value comparison: SQLite turns it into a range on the index, ties on the millisecond broken by the id
    // exactly as the ORDER BY breaks them.
    private const string AfterCursor = "(created_at, task_id) < ($after_created_at, $after_task_id)";

    public async Task<TaskPage> ListByUserAsync(
        string userId,
        TaskListQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        CheckQuery(query);

        return await ReadPageAsync(
            ListSql(query),
            query,
            parameters =>
            {
                parameters.AddWithValue("$user_id", userId);
                if (query.Status is { } status)
                {
                    parameters.AddWithValue("$status", TaskStateNames.ToName(status));
                }
            },
            cancellationToken);
    }

    public async Task<TaskPage> ListAllAsync(TaskListQuery query, CancellationToken cancellationToken)
    {
        CheckQuery(query);

        var statuses = StatusNames(query);
        return await ReadPageAsync(
            ListAllSql(query),
            query,
            parameters =>
            {
                for (var i = 0; i < statuses.Count; i++)
                {
                    parameters.AddWithValue(StatusParameter(i), statuses[i]);
                }
            },
            cancellationToken);
    }

    /// <summary>One user's listing: a walk down <c>tasks_by_user</c> or <c>tasks_by_user_status</c>.</summary>
    internal static string ListSql(TaskListQuery query)
    {
        var sql = new StringBuilder($"SELECT {SummaryColumns} FROM tasks WHERE user_id = $user_id");
        if (query.Status is not null)
        {
            sql.Append(" AND status = $status");
        }

        if (query.After is not null)
        {
            sql.Append(" AND ").Append(AfterCursor);
        }

        sql.Append(' ').Append(NewestFirst).Append(" LIMIT $fetch");
        return sql.ToString();
    }

    /// <summary>
    /// The listing over all users, on the one index <c>tasks_by_status</c>: with a status, a walk down its range;
    /// without, a walk down each status's range, each stopped after a page, and the at most six pages merged. A page
    /// costs the same at any size of the table, and writes keep one index more, not two.
    /// Parameters: <c>$status0</c> (and up to <c>$status5</c>), the cursor's, <c>$fetch</c>.
    /// </summary>
    internal static string ListAllSql(TaskListQuery query)
    {
        var statuses = StatusNames(query).Count;
        if (statuses == 1)
        {
            return StatusRangeSql(0, query);
        }

        var arms = Enumerable.Range(0, statuses).Select(i => $"SELECT * FROM ({StatusRangeSql(i, query)})");
        return $"{string.Join(" UNION ALL ", arms)} {NewestFirst} LIMIT $fetch";
    }

    private static string StatusRangeSql(int index, TaskListQuery query)
    {
        var cursor = query.After is null ? "" : " AND " + AfterCursor;
        return $"SELECT {SummaryColumns} FROM tasks WHERE status = {StatusParameter(index)}{cursor} "
            + $"{NewestFirst} LIMIT $fetch";
    }

    private static string StatusParameter(int index) => "$status" + index.ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> StatusNames(TaskListQuery query) =>
        query.Status is { } status ? [TaskStateNames.ToName(status)] : TaskStateNames.All;

    private static void CheckQuery(TaskListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, $"{nameof(query)}.{nameof(query.Limit)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            query.Limit, TaskListQuery.MaxLimit, $"{nameof(query)}.{nameof(query.Limit)}");
    }

    private async Task<TaskPage> ReadPageAsync(
        string sql,
        TaskListQuery query,
        Action<SqliteParameterCollection> bindFilter,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bindFilter(command.Parameters);
        if (query.After is { } after)
        {
            command.Parameters.AddWithValue("$after_created_at", after.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$after_task_id", TaskIdText(after.TaskId));
        }

        // One row more than asked tells whether another page exists without counting.
        command.Parameters.AddWithValue("$fetch", query.Limit + 1);

        var items = new List<TaskSummary>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadSummary(reader));
            }
        }

        return TaskPages.FromRowsWithLookahead(items, query.Limit);
    }

    private static TaskSummary ReadSummary(SqliteDataReader reader)
    {
        var statusName = reader.GetString(3);
        if (!TaskStateNames.TryParse(statusName, out var status))
        {
            throw new InvalidDataException($"A stored task has the unknown status '{statusName}'.");
        }

        // Times come from the index columns, so they are exact to the millisecond; the record keeps full precision.
        return new TaskSummary
        {
            Id = Guid.ParseExact(reader.GetString(0), "D"),
            UserId = reader.GetString(1),
            TaskType = reader.GetString(2),
            Status = status,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            AttemptCount = reader.GetInt32(6),
        };
    }
}

using System.Globalization;
using System.Text;
using Npgsql;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>Listings: keyset walks down an index, never OFFSET, so a late page costs what the first one does.</summary>
internal sealed partial class PostgreSqlTaskStore
{
    private const string SummaryColumns = "task_id, user_id, task_type, status, created_at, updated_at, attempt_count";
    private const string NewestFirst = "ORDER BY created_at DESC, task_id DESC";

    /// <summary>What a listing sets for its own transaction, so that its plan is an ordered walk of an index.</summary>
    internal static IReadOnlyList<string> ListPlanSettings { get; } =
        ["SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_sort = off"];

    public async Task<TaskPage> ListByUserAsync(
        string userId,
        TaskListQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        CheckQuery(query);

        return await PostgreSqlRetry.OnceIfSessionEndedAsync(
            _dataSource,
            () => ListOnceAsync(
                ListSql(_tasksTable, query),
                query,
                parameters =>
                {
                    parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });

                    // One row more than asked tells whether another page exists without counting.
                    parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 });
                    if (query.Status is { } status)
                    {
                        parameters.Add(new NpgsqlParameter<string> { TypedValue = TaskStateNames.ToName(status) });
                    }
                },
                cancellationToken));
    }

    public async Task<TaskPage> ListAllAsync(TaskListQuery query, CancellationToken cancellationToken)
    {
        CheckQuery(query);

        var statuses = StatusNames(query);
        return await PostgreSqlRetry.OnceIfSessionEndedAsync(
            _dataSource,
            () => ListOnceAsync(
                ListAllSql(_tasksTable, query),
                query,
                parameters =>
                {
                    parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 });
                    foreach (var status in statuses)
                    {
                        parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
                    }
                },
                cancellationToken));
    }

    /// <summary>
    /// One user's listing, a walk down <c>tasks_by_user</c> or <c>tasks_by_user_status</c>. Parameters: $1 user,
    /// $2 rows to fetch, then the status when filtered, then the cursor's time and id.
    /// </summary>
    internal static string ListSql(string tasksTable, TaskListQuery query)
    {
        var sql = new StringBuilder($"SELECT {SummaryColumns} FROM {tasksTable} WHERE user_id = $1");
        var next = 3;
        if (query.Status is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND status = ${next++}");
        }

        if (query.After is not null)
        {
            sql.Append(AfterCursor(next));
        }

        sql.Append(' ').Append(NewestFirst).Append(" LIMIT $2");
        return sql.ToString();
    }

    /// <summary>
    /// The listing over all users, on the one index <c>tasks_by_status</c>: with a status, a walk down its range;
    /// without, a walk down each status's range, each stopped after a page, and the at most six pages merged. A page
    /// costs the same at any size of the table, and writes keep one index more, not two. Parameters: $1 rows to
    /// fetch, then one per status (one, or every status), then the cursor's time and id.
    /// </summary>
    internal static string ListAllSql(string tasksTable, TaskListQuery query)
    {
        var statuses = StatusNames(query).Count;
        var cursor = query.After is null ? "" : AfterCursor(2 + statuses);
        var arms = Enumerable.Range(0, statuses)
            .Select(i => string.Create(
                CultureInfo.InvariantCulture,
                $"SELECT {SummaryColumns} FROM {tasksTable} WHERE status = ${2 + i}{cursor} {NewestFirst} LIMIT $1"))
            .ToList();
        return arms.Count == 1
            ? arms[0]
            : $"{string.Join(" UNION ALL ", arms.Select(arm => $"({arm})"))} {NewestFirst} LIMIT $1";
    }

    // A row comparison that PostgreSQL turns into a range on the index: ties on the millisecond are broken by the id
    // exactly as the ORDER BY breaks them.
    private static string AfterCursor(int firstParameter) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $" AND (created_at, task_id) < (${firstParameter}, ${firstParameter + 1})");

    private static IReadOnlyList<string> StatusNames(TaskListQuery query) =>
        query.Status is { } status ? [TaskStateNames.ToName(status)] : TaskStateNames.All;

    private static void CheckQuery(TaskListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, $"{nameof(query)}.{nameof(query.Limit)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            query.Limit, TaskListQuery.MaxLimit, $"{nameof(query)}.{nameof(query.Limit)}");
    }

    private async Task<TaskPage> ListOnceAsync(
        string sql,
        TaskListQuery query,
        Action<NpgsqlParameterCollection> bindFilter,
        CancellationToken cancellationToken)
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

        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        bindFilter(command.Parameters);
        if (query.After is { } after)
        {
            command.Parameters.Add(
                new NpgsqlParameter<DateTimeOffset> { TypedValue = ToMilliseconds(after.CreatedAt) });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = after.TaskId });
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

        return TaskPages.FromRowsWithLookahead(items, query.Limit);
    }

    private static TaskSummary ReadSummary(NpgsqlDataReader reader)
    {
        var statusName = reader.GetString(3);
        if (!TaskStateNames.TryParse(statusName, out var status))
        {
            throw new InvalidDataException($"A stored task has the unknown status '{statusName}'.");
        }

        return new TaskSummary
        {
            Id = reader.GetGuid(0),
            UserId = reader.GetString(1),
            TaskType = reader.GetString(2),
            Status = status,
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            AttemptCount = reader.GetInt32(6),
        };
    }
}

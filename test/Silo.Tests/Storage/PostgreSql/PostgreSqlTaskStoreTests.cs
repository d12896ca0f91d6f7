using Npgsql;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>The task store contract against a real PostgreSQL server, one database for the class.</summary>
public sealed class PostgreSqlTaskStoreTests(PostgreSqlDatabaseFixture fixture)
    : TaskStoreContract, IClassFixture<PostgreSqlDatabaseFixture>
{
    private PostgreSqlDatabase? _database;

    [Fact]
    public async Task Write_ParameterWithNulCharacter_RoundTrips()
    {
        // PostgreSQL's jsonb and text refuse U+0000; the record column is json, which keeps the escape as written.
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        record.Parameters["nul"] = "before\0after";

        await Store.WriteAsync(record, null, Cancellation);

        Assert.Equal("before\0after", (await Store.ReadAsync(record.Id, Cancellation))?.Record.Parameters["nul"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TaskState.Failed)]
    public async Task List_UserWhoGrewSinceTheLastAnalyze_WalksTheIndexInOrderWithoutSorting(TaskState? status)
    {
        // Statistics taken while the user had no tasks, as after a user's sudden growth between two ANALYZE runs: the
        // table already holds other users' tasks, as a table in service does. (Statistics of an empty table estimate
        // one row for every filter, and the planner may then walk the operators' index tasks_by_status just as well.)
        var tasks = _database!.Tables.Tasks;
        await WriteAllAsync(Enumerable.Range(0, 3000)
            .Select(i => TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime.AddMilliseconds(i), (TaskState)(i % 6)))
            .ToList());
        await fixture.Server.ExecuteAsync(
            $"ALTER TABLE {tasks} SET (autovacuum_enabled = false); ANALYZE {tasks}", fixture.DatabaseName, Cancellation);
        var user = TaskRecords.NewUserId();
        await WriteAllAsync(Enumerable.Range(0, 3000)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddMilliseconds(i), (TaskState)(i % 6)))
            .ToList());
        var query = new TaskListQuery { Status = status };

        var plan = await ExplainAsync(user, query, PostgreSqlTaskStore.ListPlanSettings);

        // Left to itself, PostgreSQL may collect every task of the user and sort them for one page (seen at 100,000
        // tasks: 13-40 ms a page; docs/storage-postgresql.md), depending on how stale its statistics are.
        var index = status is null ? "tasks_by_user " : "tasks_by_user_status ";
        Assert.Contains("Index Scan using " + index, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Bitmap", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TaskState.Failed)]
    public async Task ListAll_StatisticsFromAnEmptyTable_WalksTheStatusIndexWithoutSortingTheTable(TaskState? status)
    {
        var tasks = _database!.Tables.Tasks;
        await fixture.Server.ExecuteAsync(
            $"ALTER TABLE {tasks} SET (autovacuum_enabled = false); ANALYZE {tasks}", fixture.DatabaseName, Cancellation);
        await WriteAllAsync(Enumerable.Range(0, 3000)
            .Select(i => TaskRecords.New(
                TaskRecords.NewUserId(), TaskRecords.BaseTime.AddMilliseconds(i), (TaskState)(i % 6)))
            .ToList());
        var query = new TaskListQuery
        {
            Status = status,
            After = new TaskCursor { CreatedAt = TaskRecords.BaseTime.AddSeconds(2), TaskId = Guid.Empty },
        };
        var sql = PostgreSqlTaskStore.ListAllSql(_database.Tables.Tasks, query);
        object[] parameters =
        [
            query.Limit + 1,
            .. status is { } filter ? [TaskStateNames.ToName(filter)] : TaskStateNames.All,
            PostgreSqlTaskStore.ToMilliseconds(query.After.CreatedAt),
            query.After.TaskId,
        ];

        var plan = await ExplainSqlAsync(sql, parameters, PostgreSqlTaskStore.ListPlanSettings);

        // One ordered range of tasks_by_status per status, each stopped after a page; at most the pages are merged.
        var scans = plan.Split(Environment.NewLine)
            .Where(line => line.Contains("Scan", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(status is null ? TaskStateNames.All.Count : 1, scans.Count);
        Assert.All(scans, scan => Assert.Contains("Index Scan using tasks_by_status ", scan, StringComparison.Ordinal));
        Assert.DoesNotContain("Bitmap", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan.Replace("Sort Key:", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    protected override async ValueTask<ITaskStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _database = await PostgreSqlBackend.StartedAsync(fixture.ConnectionString, cancellationToken);
        return new PostgreSqlTaskStore(_database);
    }

    /// <summary>The plan PostgreSQL picks for the listing's SQL with <paramref name="settings"/> in force.</summary>
    private Task<string> ExplainAsync(string user, TaskListQuery query, IReadOnlyList<string> settings)
    {
        List<object> parameters = [user, query.Limit + 1];
        if (query.Status is { } status)
        {
            parameters.Add(TaskStateNames.ToName(status));
        }

        return ExplainSqlAsync(PostgreSqlTaskStore.ListSql(_database!.Tables.Tasks, query), parameters, settings);
    }

    /// <summary>The plan PostgreSQL picks for <paramref name="sql"/> with <paramref name="settings"/> in force.</summary>
    private async Task<string> ExplainSqlAsync(
        string sql,
        IReadOnlyList<object> parameters,
        IReadOnlyList<string> settings)
    {
        await using var batch = _database!.DataSource.CreateBatch();
        foreach (var setting in settings)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }

        var explain = new NpgsqlBatchCommand("EXPLAIN " + sql);
        foreach (var value in parameters)
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        batch.BatchCommands.Add(explain);
        var plan = new List<string>();
        await using var reader = await batch.ExecuteReaderAsync(Cancellation);
        do
        {
            while (await reader.ReadAsync(Cancellation))
            {
                plan.Add(reader.GetString(0));
            }
        }
        while (await reader.NextResultAsync(Cancellation));
        return string.Join(Environment.NewLine, plan);
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

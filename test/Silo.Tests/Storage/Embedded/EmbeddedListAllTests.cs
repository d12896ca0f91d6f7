using Microsoft.Data.Sqlite;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.Embedded;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>
/// What only the embedded backend shows of operators' listing: the plan SQLite picks for it, and the index reaching
/// files made before it existed.
/// </summary>
public sealed class EmbeddedListAllTests : IDisposable
{
    private readonly TemporaryDatabase _file = new();
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public EmbeddedListAllTests() => _timeout.CancelAfter(TimeSpan.FromMinutes(1));

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        _file.Dispose();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task ListAll_QueryPlan_OneIndexRangePerStatusNeverTheWholeTable(bool withStatus, bool withCursor)
    {
        await using var database = await _file.OpenAsync(Cancellation);
        var query = new TaskListQuery
        {
            Status = withStatus ? TaskState.Failed : null,
            After = withCursor ? new TaskCursor { CreatedAt = TaskRecords.BaseTime, TaskId = Guid.NewGuid() } : null,
        };
        await using var connection = await database.OpenReaderAsync(Cancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + EmbeddedTaskStore.ListAllSql(query);
        for (var i = 0; i < TaskStateNames.All.Count; i++)
        {
            command.Parameters.AddWithValue($"$status{i}", TaskStateNames.All[i]);
        }

        command.Parameters.AddWithValue("$after_created_at", 0L);
        command.Parameters.AddWithValue("$after_task_id", Guid.Empty.ToString());
        command.Parameters.AddWithValue("$fetch", 21);

        var steps = new Dictionary<long, (long Parent, string Detail)>();
        await using (var reader = await command.ExecuteReaderAsync(Cancellation))
        {
            while (await reader.ReadAsync(Cancellation))
            {
                steps[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetString(3));
            }
        }

        var plan = string.Join(Environment.NewLine, steps.Values.Select(s => s.Detail));
        var searches = steps.Values.Where(s => s.Detail.StartsWith("SEARCH tasks", StringComparison.Ordinal)).ToList();
        Assert.Equal(withStatus ? 1 : TaskStateNames.All.Count, searches.Count);
        Assert.All(
            searches,
            s => Assert.Contains("USING INDEX tasks_by_status (status=?", s.Detail, StringComparison.Ordinal));
        Assert.DoesNotContain("SCAN tasks", plan, StringComparison.Ordinal);
        if (withStatus)
        {
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
        else
        {
            // Each status's range is read in a subquery that stops after a page; only those pages are merged.
            Assert.All(
                searches,
                s => Assert.StartsWith("CO-ROUTINE", steps[s.Parent].Detail, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Start_FileFromBeforeTheStatusIndex_GainsItAndKeepsItsTasks()
    {
        var records = Enumerable.Range(0, 5)
            .Select(i => TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime.AddSeconds(i)))
            .ToList();
        await using (var database = await _file.OpenAsync(Cancellation))
        {
            var store = new EmbeddedTaskStore(database);
            foreach (var record in records)
            {
                await store.WriteAsync(record, null, Cancellation);
            }
        }

        // What a file written by the build before this index looks like: schema version 1, no tasks_by_status.
        await using (var connection = await OpenRawAsync())
        {
            await ExecuteAsync(connection, "DROP INDEX tasks_by_status; PRAGMA user_version = 1;");
        }

        await using (var upgraded = await _file.OpenAsync(Cancellation))
        {
            var page = await new EmbeddedTaskStore(upgraded).ListAllAsync(new TaskListQuery(), Cancellation);

            Assert.Equal(TaskRecords.NewestFirst(records).Select(r => r.Id), page.Items.Select(s => s.Id));
        }

        await using var check = await OpenRawAsync();
        Assert.Equal((long)EmbeddedSchema.CurrentVersion, await ScalarAsync(check, "PRAGMA user_version"));
        Assert.Equal(
            1L,
            await ScalarAsync(
                check, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'tasks_by_status'"));
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = _file.DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Cancellation);
        return connection;
    }

    private async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Cancellation);
    }

    private async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Cancellation);
    }
}

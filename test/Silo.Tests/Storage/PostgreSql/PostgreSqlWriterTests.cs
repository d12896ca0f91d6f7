using System.Globalization;
using Npgsql;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>
/// The batching writer on a real server. Writes are made to pile up by holding a lock on the tasks table from another
/// session: the writer's first batches wait for it, the rest queue, and once the lock goes they leave in batches.
/// </summary>
public sealed class PostgreSqlWriterTests(PostgreSqlDatabaseFixture fixture)
    : IClassFixture<PostgreSqlDatabaseFixture>, IAsyncLifetime
{
    // What the writer runs with the default pool of 16: two batches in flight at most.
    private const int ConcurrentBatches = 2;
    private readonly CancellationTokenSource _timeout = Timeout();
    private readonly string _applicationName = "writer-test-" + Guid.NewGuid().ToString("N")[..8];
    private PostgreSqlDatabase? _database;

    private CancellationToken Cancellation => _timeout.Token;

    private PostgreSqlDatabase Database => _database!;

    private PostgreSqlTaskStore Store => new(Database);

    public async ValueTask InitializeAsync()
    {
        _database = PostgreSqlBackend.Database(
            PostgreSqlBackend.Options($"{fixture.ConnectionString};Application Name={_applicationName}"));
        await _database.StartAsync(Cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task Write_OneFailingWriteInABatch_OnlyThatWriteFails()
    {
        var good = NewRecords(40);

        // PostgreSQL refuses U+0000 in a text column: a statement error, which rolls back the batch it is in.
        var bad = TaskRecords.New("user\0with a NUL", TaskRecords.BaseTime);
        List<Task<string>> writes;
        Task<string> badWrite;
        await using (var block = await BlockTasksTableAsync())
        {
            var plugs = await PlugWriterAsync(block);
            writes = good.Select(record => Store.WriteAsync(record, null, Cancellation)).ToList();
            badWrite = Store.WriteAsync(bad, null, Cancellation);
            await block.ReleaseAsync();
            await Task.WhenAll(plugs).WaitAsync(Cancellation);
        }

        var failure = await Assert.ThrowsAsync<PostgresException>(() => badWrite);
        var etags = await Task.WhenAll(writes).WaitAsync(Cancellation);

        Assert.Equal("22021", failure.SqlState);
        Assert.All(etags, etag => Assert.False(string.IsNullOrEmpty(etag)));
        foreach (var record in good)
        {
            Assert.NotNull(await Store.ReadAsync(record.Id, Cancellation));
        }

        Assert.Null(await Store.ReadAsync(bad.Id, Cancellation));
        Assert.True(Database.Writer.RetriedAlone > 1, "The failing write's batch was not tried again write by write.");
        Assert.True(
            Database.Writer.Batches < Database.Writer.Writes,
            $"{Database.Writer.Writes} writes went in {Database.Writer.Batches} batches: none was batched.");
    }

    [Fact]
    public async Task Write_CancelledWhileQueued_IsNotStored()
    {
        var kept = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var cancelled = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        using var caller = new CancellationTokenSource();
        Task<string> keptWrite;
        Task<string> cancelledWrite;
        await using (var block = await BlockTasksTableAsync())
        {
            var plugs = await PlugWriterAsync(block);
            keptWrite = Store.WriteAsync(kept, null, Cancellation);
            cancelledWrite = Store.WriteAsync(cancelled, null, caller.Token);
            await caller.CancelAsync();
            await block.ReleaseAsync();
            await Task.WhenAll(plugs).WaitAsync(Cancellation);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledWrite);
        await keptWrite.WaitAsync(Cancellation);
        Assert.Null(await Store.ReadAsync(cancelled.Id, Cancellation));
        Assert.NotNull(await Store.ReadAsync(kept.Id, Cancellation));
    }

    [Fact]
    public async Task DisposeAsync_WritesQueued_SendsThemAllBeforeItReturns()
    {
        var records = NewRecords(30);
        List<Task<string>> writes;
        Task disposing;
        await using (var block = await BlockTasksTableAsync())
        {
            var plugs = await PlugWriterAsync(block);
            writes = [.. plugs, .. records.Select(record => Store.WriteAsync(record, null, Cancellation))];
            disposing = Database.Writer.DisposeAsync().AsTask();
            Assert.False(disposing.IsCompleted, "The writer stopped while writes were still queued.");
            await block.ReleaseAsync();
        }

        await disposing.WaitAsync(Cancellation);

        Assert.All(await Task.WhenAll(writes).WaitAsync(Cancellation), etag => Assert.False(string.IsNullOrEmpty(etag)));
        await using var reader = await PostgreSqlBackend.StartedAsync(fixture.ConnectionString, Cancellation);
        foreach (var record in records)
        {
            Assert.NotNull(await new PostgreSqlTaskStore(reader).ReadAsync(record.Id, Cancellation));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => Store.WriteAsync(TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime), null, Cancellation));
    }

    private static List<Grains.Storage.TaskRecord> NewRecords(int count) =>
        Enumerable.Range(0, count).Select(_ => TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime)).ToList();

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        return timeout;
    }

    /// <summary>
    /// Sends one write at a time until every batch the writer can have in flight waits for the lock: writes made after
    /// this queue up behind them. Answers the waiting writes.
    /// </summary>
    private async Task<List<Task<string>>> PlugWriterAsync(TableBlock block)
    {
        var plugs = new List<Task<string>>();
        for (var waiting = 1; waiting <= ConcurrentBatches; waiting++)
        {
            plugs.Add(Store.WriteAsync(TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime), null, Cancellation));
            await block.WaitForWaitingWritersAsync(waiting);
        }

        return plugs;
    }

    private async Task<TableBlock> BlockTasksTableAsync()
    {
        var connection = new NpgsqlConnection(fixture.ConnectionString + ";Pooling=false");
        await connection.OpenAsync(Cancellation);
        var transaction = await connection.BeginTransactionAsync(Cancellation);
        var lockTable = $"LOCK TABLE {Database.Tables.Tasks} IN EXCLUSIVE MODE";
        await using (var command = new NpgsqlCommand(lockTable, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(Cancellation);
        }

        // Counted from a session of its own outside any transaction: within one, pg_stat_activity keeps showing what
        // it showed first.
        var observer = new NpgsqlConnection(fixture.ConnectionString + ";Pooling=false");
        await observer.OpenAsync(Cancellation);
        return new TableBlock(connection, transaction, observer, _applicationName, Cancellation);
    }

    /// <summary>A lock on the tasks table held by a session of its own: writes wait, reads go on.</summary>
    private sealed class TableBlock(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        NpgsqlConnection observer,
        string applicationName,
        CancellationToken cancellationToken) : IAsyncDisposable
    {
        private bool _released;

        /// <summary>Waits until that many of the writer's sessions wait for the lock.</summary>
        public async Task WaitForWaitingWritersAsync(int expectedWaiting)
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
                observer);
            count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
            while (Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture)
                < expectedWaiting)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
            }
        }

        public async Task ReleaseAsync()
        {
            if (!_released)
            {
                _released = true;
                await transaction.CommitAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await ReleaseAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            await observer.DisposeAsync();
        }
    }
}

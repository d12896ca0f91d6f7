using Microsoft.Data.Sqlite;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.Embedded;
using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.Tools;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>What only the embedded backend has: a file that outlives the process, its lock, schema, writer.</summary>
public sealed class EmbeddedDatabaseTests : IDisposable
{
    private const string PathVariable = "TaskQueue__Storage__Embedded__DatabasePath";
    private readonly TemporaryDatabase _file = new();
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public EmbeddedDatabaseTests() => _timeout.CancelAfter(TimeSpan.FromMinutes(1));

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task Reopen_AfterClose_TasksRemindersAndETagsSurvive()
    {
        var record = TaskRecords.Full(TaskRecords.NewUserId());
        var grain = GrainId.Create("test", "survivor");
        string taskETag;
        string? reminderETag;
        await using (var database = await _file.OpenAsync(Cancellation))
        {
            taskETag = await new EmbeddedTaskStore(database).WriteAsync(record, null, Cancellation);
            reminderETag = await new EmbeddedReminderTable(database).UpsertRow(
                new ReminderEntry
                {
                    GrainId = grain,
                    ReminderName = "recover",
                    StartAt = DateTime.UtcNow,
                    Period = TimeSpan.FromMinutes(1),
                },
                Cancellation);
        }

        await using var reopened = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(reopened);
        var stored = await store.ReadAsync(record.Id, Cancellation);
        var reminder = await new EmbeddedReminderTable(reopened).ReadRow(grain, "recover", Cancellation);
        var next = await store.WriteAsync(record, taskETag, Cancellation);

        Assert.Equal(taskETag, stored?.ETag);
        Assert.Equal(record.Parameters, stored?.Record.Parameters);
        Assert.Equal(record.Attempts.Count, stored?.Record.Attempts.Count);
        Assert.Equal(reminderETag, reminder?.ETag);

        // The etag counter lives in the file: etags after a restart never repeat one from before it.
        Assert.True(long.Parse(next, System.Globalization.CultureInfo.InvariantCulture)
            > Math.Max(long.Parse(taskETag, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(reminderETag!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Start_FileOpenedByAnotherStore_FailsWithClearMessageUntilItCloses()
    {
        var first = await _file.OpenAsync(Cancellation);
        await using var second = _file.Create();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync(Cancellation));
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        await new EmbeddedTaskStore(first).WriteAsync(record, null, Cancellation);
        await first.DisposeAsync();
        await using var third = await _file.OpenAsync(Cancellation);

        Assert.Contains(_file.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
        Assert.Contains(PathVariable, error.Message, StringComparison.Ordinal);
        Assert.NotNull(await new EmbeddedTaskStore(third).ReadAsync(record.Id, Cancellation));
    }

    [Fact]
    public async Task Start_LockHeldByAnotherProcess_FailsWithClearMessage()
    {
        var flock = RequiredTools.Require("flock", "it comes with util-linux (apt-get install util-linux)");
        var lockPath = _file.DatabasePath + ".lock";
        await using var holder = ExternalProcess.Start(flock, ["--exclusive", lockPath, "sleep", "60"]);
        await WaitUntilLockedAsync(lockPath);
        await using var database = _file.Create();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
        Assert.Contains(lockPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_OneWriteConflicts_TheOthersInItsBatchCommit()
    {
        await using var database = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(database);
        var user = TaskRecords.NewUserId();
        var contested = TaskRecords.New(user, TaskRecords.BaseTime);
        var etag = await store.WriteAsync(contested, null, Cancellation);
        var before = TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(1));
        var after = TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(2));
        var winner = TaskRecords.Copy(contested);
        winner.Status = TaskState.Running;
        var loser = TaskRecords.Copy(contested);
        loser.Status = TaskState.Cancelled;

        Task<string> first, win, lose, last;
        long batchesBefore;
        await using (await WriterBlock.StartAsync(database, Cancellation))
        {
            batchesBefore = database.Writer.CommittedBatches;
            first = store.WriteAsync(before, null, Cancellation);
            win = store.WriteAsync(winner, etag, Cancellation);
            lose = store.WriteAsync(loser, etag, Cancellation);
            last = store.WriteAsync(after, null, Cancellation);
            Assert.Equal(4, database.Writer.QueuedWrites);
        }

        await first.WaitAsync(Cancellation);
        var winningETag = await win.WaitAsync(Cancellation);
        await Assert.ThrowsAsync<TaskStoreConflictException>(() => lose.WaitAsync(Cancellation));
        await last.WaitAsync(Cancellation);

        // The blocked batch, then one batch for all four.
        Assert.Equal(batchesBefore + 2, database.Writer.CommittedBatches);
        Assert.NotNull(await store.ReadAsync(before.Id, Cancellation));
        Assert.NotNull(await store.ReadAsync(after.Id, Cancellation));
        var stored = await store.ReadAsync(contested.Id, Cancellation);
        Assert.Equal(winningETag, stored?.ETag);
        Assert.Equal(TaskState.Running, stored?.Record.Status);
    }

    [Fact]
    public async Task Batch_WriteThatFailsHalfway_IsUndoneAloneAndTheOthersCommit()
    {
        await using var database = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(database);
        var user = TaskRecords.NewUserId();
        var before = TaskRecords.New(user, TaskRecords.BaseTime);
        var after = TaskRecords.New(user, TaskRecords.BaseTime);

        Task<string> first, last;
        Task<int> broken;
        await using (await WriterBlock.StartAsync(database, Cancellation))
        {
            first = store.WriteAsync(before, null, Cancellation);
            broken = database.WriteAsync<int>(
                context =>
                {
                    context.Command(
                        "INSERT INTO reminders VALUES ('test/half', 'half', 1, 0, 0, 1)").ExecuteNonQuery();
                    return context.Command("INSERT INTO no_such_table VALUES (1)").ExecuteNonQuery();
                },
                Cancellation);
            last = store.WriteAsync(after, null, Cancellation);
        }

        await first.WaitAsync(Cancellation);
        await Assert.ThrowsAsync<SqliteException>(() => broken.WaitAsync(Cancellation));
        await last.WaitAsync(Cancellation);

        Assert.NotNull(await store.ReadAsync(before.Id, Cancellation));
        Assert.NotNull(await store.ReadAsync(after.Id, Cancellation));
        Assert.Null(await new EmbeddedReminderTable(database).ReadRow(
            GrainId.Parse("test/half", null), "half", Cancellation));
    }

    [Fact]
    public async Task Batch_CommitFails_EveryWriteInItFailsAndNothingIsStored()
    {
        // No full disk can be had here, so the batch's own connection is made read-only halfway through: the
        // writes after that, and the commit, fail as they would on a full or failing disk. The connection stays
        // read-only, so the test reopens the file to look at it.
        var database = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(database);
        var user = TaskRecords.NewUserId();
        var before = TaskRecords.New(user, TaskRecords.BaseTime);
        var after = TaskRecords.New(user, TaskRecords.BaseTime);

        Task<string> first, last;
        Task<int> sabotage;
        await using (await WriterBlock.StartAsync(database, Cancellation))
        {
            first = store.WriteAsync(before, null, Cancellation);
            sabotage = database.WriteAsync(
                context => context.Command("PRAGMA query_only = 1").ExecuteNonQuery(), Cancellation);
            last = store.WriteAsync(after, null, Cancellation);
        }

        await Assert.ThrowsAsync<SqliteException>(() => first.WaitAsync(Cancellation));
        await Assert.ThrowsAsync<SqliteException>(() => sabotage.WaitAsync(Cancellation));
        await Assert.ThrowsAsync<SqliteException>(() => last.WaitAsync(Cancellation));
        await database.DisposeAsync();

        await using var reopened = await _file.OpenAsync(Cancellation);
        var reopenedStore = new EmbeddedTaskStore(reopened);
        Assert.Null(await reopenedStore.ReadAsync(before.Id, Cancellation));
        Assert.Null(await reopenedStore.ReadAsync(after.Id, Cancellation));
        var etag = await reopenedStore.WriteAsync(before, null, Cancellation);
        Assert.Equal(etag, (await reopenedStore.ReadAsync(before.Id, Cancellation))?.ETag);
    }

    [Fact]
    public async Task Batch_MoreQueuedThanMaxBatchSize_CommitsInBatchesOfThatSize()
    {
        await using var database = await _file.OpenAsync(Cancellation, options => options.MaxBatchSize = 4);
        var store = new EmbeddedTaskStore(database);
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 10).Select(i => TaskRecords.New(user, TaskRecords.BaseTime)).ToList();

        long batchesBefore;
        List<Task<string>> writes;
        await using (await WriterBlock.StartAsync(database, Cancellation))
        {
            batchesBefore = database.Writer.CommittedBatches;
            writes = records.Select(r => store.WriteAsync(r, null, Cancellation)).ToList();
        }

        await Task.WhenAll(writes).WaitAsync(Cancellation);

        // The blocked batch, then 4 + 4 + 2.
        Assert.Equal(batchesBefore + 4, database.Writer.CommittedBatches);
    }

    [Fact]
    public async Task Write_CancelledWhileQueued_IsNotStored()
    {
        await using var database = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(database);
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        Task<string> write;
        await using (await WriterBlock.StartAsync(database, Cancellation))
        {
            write = store.WriteAsync(record, null, cancel.Token);
            await cancel.CancelAsync();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(Cancellation));
        Assert.Null(await store.ReadAsync(record.Id, Cancellation));
    }

    [Fact]
    public async Task Stop_WithWritesStillQueued_CommitsEveryOneBeforeClosing()
    {
        var database = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(database);
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 500).Select(i => TaskRecords.New(user, TaskRecords.BaseTime)).ToList();
        var writes = records.Select(r => store.WriteAsync(r, null, Cancellation)).ToList();

        await database.StopAsync().WaitAsync(Cancellation);
        var etags = await Task.WhenAll(writes).WaitAsync(Cancellation);

        await using var reopened = await _file.OpenAsync(Cancellation);
        var reopenedStore = new EmbeddedTaskStore(reopened);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(etags[i], (await reopenedStore.ReadAsync(records[i].Id, Cancellation))?.ETag);
        }
    }

    [Fact]
    public async Task Write_AfterStop_ThrowsObjectDisposed()
    {
        var database = await _file.OpenAsync(Cancellation);
        var store = new EmbeddedTaskStore(database);
        await database.StopAsync().WaitAsync(Cancellation);

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => store.WriteAsync(TaskRecords.New("user", TaskRecords.BaseTime), null, Cancellation));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAsync(Guid.NewGuid(), Cancellation));
    }

    [Fact]
    public async Task Read_BeforeStart_ThrowsSayingHowToStart()
    {
        await using var database = _file.Create();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new EmbeddedTaskStore(database).ReadAsync(Guid.NewGuid(), Cancellation));

        Assert.Contains("not open", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_file.DatabasePath), "Creating the store must not touch the disk.");
    }

    [Fact]
    public async Task Start_MissingFolder_CreatesItWithWriteAheadLogAndCurrentSchema()
    {
        var path = Path.Combine(_file.Folder, "nested", "deeper", "tasks.db");
        await using var database = await _file.OpenAsync(Cancellation, options => options.DatabasePath = path);

        await using var connection = await OpenRawAsync(path);

        Assert.Equal(path, database.DatabasePath);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)EmbeddedSchema.CurrentVersion, await ScalarAsync(connection, "PRAGMA user_version"));
        Assert.Equal((long)EmbeddedSchema.ApplicationId, await ScalarAsync(connection, "PRAGMA application_id"));
    }

    [Fact]
    public async Task Writer_Connection_FlushesEveryCommitAndWaitsForLocks()
    {
        await using var database = await _file.OpenAsync(
            Cancellation, options => options.BusyTimeout = TimeSpan.FromSeconds(7));

        var (synchronous, busyTimeout) = await database.WriteAsync(
            context => (
                context.Command("PRAGMA synchronous").ExecuteScalar(),
                context.Command("PRAGMA busy_timeout").ExecuteScalar()),
            Cancellation);

        // 2 is FULL: each commit waits for the write-ahead log to reach the disk.
        Assert.Equal(2L, synchronous);
        Assert.Equal(7000L, busyTimeout);
    }

    [Fact]
    public async Task Start_SchemaNewerThanThisBuild_FailsNamingBothVersions()
    {
        await (await _file.OpenAsync(Cancellation)).DisposeAsync();
        await using (var connection = await OpenRawAsync(_file.DatabasePath))
        {
            await ScalarAsync(connection, "PRAGMA user_version = 99");
        }

        await using var database = _file.Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {EmbeddedSchema.CurrentVersion}", error.Message, StringComparison.Ordinal);
        Assert.Contains(PathVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SqliteDatabaseOfSomethingElse_FailsAndLeavesItAlone()
    {
        await using (var connection = await OpenRawAsync(_file.DatabasePath))
        {
            await ScalarAsync(connection, "CREATE TABLE photos (name TEXT)");
        }

        await using var database = _file.Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));

        Assert.Contains("did not create", error.Message, StringComparison.Ordinal);
        await using var check = await OpenRawAsync(_file.DatabasePath);
        Assert.Equal(1L, await ScalarAsync(check, "SELECT count(*) FROM sqlite_schema"));
    }

    [Fact]
    public async Task Start_FileThatIsNotADatabase_FailsWithClearMessage()
    {
        var csv = "name,status\nthis is a CSV file, not a database\n" + new string('x', 4096);
        await File.WriteAllTextAsync(_file.DatabasePath, csv, Cancellation);
        await using var database = _file.Create();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));

        Assert.Contains("is not an SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains(PathVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task List_QueryPlan_WalksAnIndexWithoutSorting(bool withStatus, bool withCursor)
    {
        await using var database = await _file.OpenAsync(Cancellation);
        var query = new TaskListQuery
        {
            Status = withStatus ? TaskState.Queued : null,
            After = withCursor ? new TaskCursor { CreatedAt = TaskRecords.BaseTime, TaskId = Guid.NewGuid() } : null,
        };
        await using var connection = await database.OpenReaderAsync(Cancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + EmbeddedTaskStore.ListSql(query);
        command.Parameters.AddWithValue("$user_id", "user");
        command.Parameters.AddWithValue("$status", "queued");
        command.Parameters.AddWithValue("$after_created_at", 0L);
        command.Parameters.AddWithValue("$after_task_id", Guid.Empty.ToString());
        command.Parameters.AddWithValue("$fetch", 21);

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Cancellation))
        {
            while (await reader.ReadAsync(Cancellation))
            {
                plan.Add(reader.GetString(3));
            }
        }

        var index = withStatus ? "USING INDEX tasks_by_user_status" : "USING INDEX tasks_by_user ";
        Assert.Contains(plan, step => step.StartsWith("SEARCH tasks", StringComparison.Ordinal)
            && step.Contains(index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_Acknowledged_IsInTheFileForAnotherProcess()
    {
        var sqlite3 = RequiredTools.Require("sqlite3", "apt-get install sqlite3");
        await using var database = await _file.OpenAsync(Cancellation);
        var record = TaskRecords.Full(TaskRecords.NewUserId());
        await new EmbeddedTaskStore(database).WriteAsync(record, null, Cancellation);

        // While the store is open, the sqlite3 shell reads the committed row through the write-ahead log.
        var (exitCode, output) = await ExternalProcess.RunAsync(
            sqlite3,
            [
                "-readonly",
                _file.DatabasePath,
                $"SELECT status, json_extract(record, '$.parameters.format') FROM tasks "
                    + $"WHERE task_id = '{EmbeddedTaskStore.TaskIdText(record.Id)}'; PRAGMA integrity_check;",
            ],
            TimeSpan.FromSeconds(30),
            cancellationToken: Cancellation);

        Assert.Equal(0, exitCode);
        Assert.Equal(["retrying|cyclonedx-json", "ok"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<SqliteConnection> OpenRawAsync(string path)
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task WaitUntilLockedAsync(string lockPath)
    {
        while (true)
        {
            try
            {
                // Taking the lock ourselves for an instant tells whether the other process holds it yet.
                using var probe = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), Cancellation);
        }
    }
}

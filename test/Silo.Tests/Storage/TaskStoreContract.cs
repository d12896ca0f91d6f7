using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>
/// What every <see cref="ITaskStore"/> backend promises. A backend's suite derives from this class and supplies a
/// fresh, started store per test; nothing here knows which backend it runs against. Users and task ids are
/// random, so a backend may share one server between tests.
/// </summary>
public abstract partial class TaskStoreContract : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private ITaskStore? _store;

    protected TaskStoreContract() => _timeout.CancelAfter(TimeSpan.FromMinutes(2));

    /// <summary>Bounds every await of a test.</summary>
    protected CancellationToken Cancellation => _timeout.Token;

    protected ITaskStore Store =>
        _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(Cancellation);

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Read_MissingTask_ReturnsNull()
    {
        Assert.Null(await Store.ReadAsync(Guid.NewGuid(), Cancellation));
    }

    [Fact]
    public async Task Write_RecordWithEveryField_ReadsBackEqual()
    {
        var record = TaskRecords.Full(TaskRecords.NewUserId());

        var etag = await Store.WriteAsync(record, expectedETag: null, Cancellation);
        var stored = await Store.ReadAsync(record.Id, Cancellation);

        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        AssertSameRecord(record, stored.Record);
    }

    [Fact]
    public async Task Write_NewRecordTwice_SecondConflictsAndFirstStays()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var etag = await Store.WriteAsync(record, null, Cancellation);
        var second = TaskRecords.Copy(record);
        second.TaskType = "other";

        var conflict = await Assert.ThrowsAsync<TaskStoreConflictException>(
            () => Store.WriteAsync(second, null, Cancellation));

        Assert.Equal(record.Id, conflict.TaskId);
        var stored = await Store.ReadAsync(record.Id, Cancellation);
        Assert.Equal(etag, stored?.ETag);
        Assert.Equal("syft", stored?.Record.TaskType);
    }

    [Fact]
    public async Task Write_CurrentETag_ReplacesRecordWithNewETag()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var first = await Store.WriteAsync(record, null, Cancellation);
        record.Status = TaskState.Running;
        record.Attempts.Add(new AttemptRecord { Number = 1, StartedAt = TaskRecords.BaseTime.AddSeconds(1) });

        var second = await Store.WriteAsync(record, first, Cancellation);

        Assert.NotEqual(first, second);
        var stored = await Store.ReadAsync(record.Id, Cancellation);
        Assert.Equal(second, stored?.ETag);
        Assert.Equal(TaskState.Running, stored?.Record.Status);
        Assert.Single(stored!.Record.Attempts);
    }

    [Fact]
    public async Task Write_StaleETag_ConflictsAndKeepsNewerRecord()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var stale = await Store.WriteAsync(record, null, Cancellation);
        record.Status = TaskState.Running;
        var current = await Store.WriteAsync(record, stale, Cancellation);
        var late = TaskRecords.Copy(record);
        late.Status = TaskState.Cancelled;

        await Assert.ThrowsAsync<TaskStoreConflictException>(() => Store.WriteAsync(late, stale, Cancellation));

        var stored = await Store.ReadAsync(record.Id, Cancellation);
        Assert.Equal(current, stored?.ETag);
        Assert.Equal(TaskState.Running, stored?.Record.Status);
    }

    [Fact]
    public async Task Write_ETagForMissingRecord_Conflicts()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var etag = await Store.WriteAsync(record, null, Cancellation);
        var other = TaskRecords.New(record.UserId, TaskRecords.BaseTime);

        await Assert.ThrowsAsync<TaskStoreConflictException>(() => Store.WriteAsync(other, etag, Cancellation));

        Assert.Null(await Store.ReadAsync(other.Id, Cancellation));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an etag")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999999")]
    public async Task Write_ETagThatNoWriteAnswered_Conflicts(string etag)
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var current = await Store.WriteAsync(record, null, Cancellation);
        record.Status = TaskState.Failed;

        await Assert.ThrowsAsync<TaskStoreConflictException>(() => Store.WriteAsync(record, etag, Cancellation));

        Assert.Equal(current, (await Store.ReadAsync(record.Id, Cancellation))?.ETag);
    }

    [Fact]
    public async Task Delete_CurrentETag_RemovesRecordAndAllowsCreatingItAgain()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var etag = await Store.WriteAsync(record, null, Cancellation);

        await Store.DeleteAsync(record.Id, etag, Cancellation);

        Assert.Null(await Store.ReadAsync(record.Id, Cancellation));
        Assert.Empty((await Store.ListByUserAsync(record.UserId, new TaskListQuery(), Cancellation)).Items);
        var again = await Store.WriteAsync(record, null, Cancellation);
        Assert.Equal(again, (await Store.ReadAsync(record.Id, Cancellation))?.ETag);
    }

    [Fact]
    public async Task Delete_StaleETag_ConflictsAndKeepsRecord()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var stale = await Store.WriteAsync(record, null, Cancellation);
        var current = await Store.WriteAsync(record, stale, Cancellation);

        await Assert.ThrowsAsync<TaskStoreConflictException>(() => Store.DeleteAsync(record.Id, stale, Cancellation));

        Assert.Equal(current, (await Store.ReadAsync(record.Id, Cancellation))?.ETag);
    }

    [Fact]
    public async Task Delete_MissingRecord_Conflicts()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var etag = await Store.WriteAsync(record, null, Cancellation);

        await Assert.ThrowsAsync<TaskStoreConflictException>(
            () => Store.DeleteAsync(Guid.NewGuid(), etag, Cancellation));
    }

    [Fact]
    public async Task Write_ETagFromBeforeDeleteAndRecreate_Conflicts()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var old = await Store.WriteAsync(record, null, Cancellation);
        await Store.DeleteAsync(record.Id, old, Cancellation);
        var recreated = await Store.WriteAsync(record, null, Cancellation);

        // A writer that read the first incarnation must not overwrite or delete the second one.
        await Assert.ThrowsAsync<TaskStoreConflictException>(() => Store.WriteAsync(record, old, Cancellation));
        await Assert.ThrowsAsync<TaskStoreConflictException>(() => Store.DeleteAsync(record.Id, old, Cancellation));

        Assert.Equal(recreated, (await Store.ReadAsync(record.Id, Cancellation))?.ETag);
    }

    [Fact]
    public async Task Write_ManyTasksInParallel_AllStoredWithTheirETags()
    {
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 300)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddMilliseconds(i)))
            .ToList();

        var etags = await Task.WhenAll(records.Select(r => Store.WriteAsync(r, null, Cancellation)))
            .WaitAsync(Cancellation);

        for (var i = 0; i < records.Count; i++)
        {
            var stored = await Store.ReadAsync(records[i].Id, Cancellation);
            Assert.Equal(etags[i], stored?.ETag);
            Assert.Equal(records[i].CreatedAt, stored?.Record.CreatedAt);
        }
    }

    [Fact]
    public async Task Write_ManyWritersRacingOnOneETag_ExactlyOneWins()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var etag = await Store.WriteAsync(record, null, Cancellation);
        var contenders = Enumerable.Range(0, 32).Select(i =>
        {
            var copy = TaskRecords.Copy(record);
            copy.Parameters["writer"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return copy;
        }).ToList();

        var attempts = contenders
            .Select(copy => Task.Run(() => Store.WriteAsync(copy, etag, Cancellation), Cancellation))
            .ToList();
        try
        {
            await Task.WhenAll(attempts).WaitAsync(Cancellation);
        }
        catch (TaskStoreConflictException)
        {
            // Expected for all but one; each attempt is looked at below.
        }

        var winners = attempts.Where(a => a.IsCompletedSuccessfully).ToList();
        var winner = Assert.Single(winners);
        Assert.All(
            attempts.Where(a => !a.IsCompletedSuccessfully),
            a => Assert.IsType<TaskStoreConflictException>(a.Exception?.InnerException));
        var stored = await Store.ReadAsync(record.Id, Cancellation);
        Assert.Equal(await winner, stored?.ETag);
        var winnerIndex = attempts.IndexOf(winner);
        Assert.Equal(contenders[winnerIndex].Parameters["writer"], stored?.Record.Parameters["writer"]);
    }

    [Fact]
    public async Task Write_RecordWithOneMebibyteOfParameters_RoundTripsAndUpdates()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var random = new Random(7);
        var big = string.Create(1024 * 1024, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next(0x20, 0x7f);
            }
        });
        record.Parameters["big"] = big;
        for (var i = 0; i < 200; i++)
        {
            record.Parameters[$"key{i}"] = $"value {i}";
        }

        var etag = await Store.WriteAsync(record, null, Cancellation);
        record.Status = TaskState.Succeeded;
        etag = await Store.WriteAsync(record, etag, Cancellation);
        var stored = await Store.ReadAsync(record.Id, Cancellation);

        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(TaskState.Succeeded, stored.Record.Status);
        Assert.Equal(big, stored.Record.Parameters["big"]);
        Assert.Equal(record.Parameters, stored.Record.Parameters);
    }

    /// <summary>A new, empty, started store of the backend under test.</summary>
    protected abstract ValueTask<ITaskStore> CreateStoreAsync(CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract ValueTask DisposeStoreAsync();

    /// <summary>Creates all records at once (in parallel, as many grains would) and answers their etags.</summary>
    protected async Task<string[]> WriteAllAsync(IReadOnlyList<TaskRecord> records) =>
        await Task.WhenAll(records.Select(r => Store.WriteAsync(r, null, Cancellation))).WaitAsync(Cancellation);

    private static void AssertSameRecord(TaskRecord expected, TaskRecord actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.TaskType, actual.TaskType);
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Status, actual.Status);
        AssertSameInstant(expected.CreatedAt, actual.CreatedAt);
        AssertSameInstant(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.NextAttemptAt.HasValue, actual.NextAttemptAt.HasValue);
        AssertSameInstant(expected.NextAttemptAt!.Value, actual.NextAttemptAt!.Value);
        Assert.Equal(expected.MaxAttempts, actual.MaxAttempts);
        Assert.Equal(expected.Attempts.Count, actual.Attempts.Count);
        for (var i = 0; i < expected.Attempts.Count; i++)
        {
            var (e, a) = (expected.Attempts[i], actual.Attempts[i]);
            Assert.Equal(e.Number, a.Number);
            AssertSameInstant(e.StartedAt, a.StartedAt);
            Assert.Equal(e.EndedAt, a.EndedAt);
            Assert.Equal(e.Outcome, a.Outcome);
            Assert.Equal(e.StatusCode, a.StatusCode);
            Assert.Equal(e.Message, a.Message);
        }

        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Result, actual.Result);
    }

    // The same instant to the tick, and the same offset: a record read back is the record written.
    private static void AssertSameInstant(DateTimeOffset expected, DateTimeOffset actual)
    {
        Assert.Equal(expected.UtcTicks, actual.UtcTicks);
        Assert.Equal(expected.Offset, actual.Offset);
    }
}

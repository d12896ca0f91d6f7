using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>
/// Operators' listing over all users: order across users, user ids, status filter, cursors and page sizes.
/// </summary>
/// <remarks>
/// A backend may share one store between the tests of a class, and this listing sees every test's tasks. So each
/// test writes in a span of time of its own: later than every task any test writes before it (then the listing's
/// first page starts with exactly its tasks), or earlier than every one (then, read from a cursor just above the
/// span, the listing ends with exactly its tasks). The tests of one class run one after another.
/// </remarks>
public abstract partial class TaskStoreContract
{
    private static readonly DateTimeOffset FarFuture = TaskRecords.BaseTime.AddYears(100);
    private static readonly DateTimeOffset FarPast = TaskRecords.BaseTime.AddYears(-40);
    private static long _spans;

    [Fact]
    public async Task ListAll_SeveralUsers_NewestFirstAcrossUsersWithTheirUserIds()
    {
        var start = NewestSpan();
        string[] users = [TaskRecords.NewUserId(), TaskRecords.NewUserId(), TaskRecords.NewUserId()];
        var records = Enumerable.Range(0, 12)
            .Select(i => TaskRecords.New(users[i % 3], start.AddSeconds(i)))
            .ToList();
        records[4].Status = TaskState.Failed;
        records[4].TaskType = "other";
        records[4].UpdatedAt = records[4].CreatedAt.AddMinutes(5);
        records[4].Attempts.Add(new AttemptRecord { Number = 1, StartedAt = records[4].CreatedAt });
        foreach (var record in records.OrderBy(_ => Guid.NewGuid()))
        {
            await Store.WriteAsync(record, null, Cancellation);
        }

        var page = await Store.ListAllAsync(new TaskListQuery { Limit = records.Count }, Cancellation);

        Assert.Equal(TaskRecords.NewestFirst(records).Select(r => r.Id), page.Items.Select(s => s.Id));
        Assert.Equal(TaskRecords.NewestFirst(records).Select(r => r.UserId), page.Items.Select(s => s.UserId));
        Assert.Equal(
            new TaskSummary
            {
                Id = records[4].Id,
                UserId = users[1],
                TaskType = "other",
                Status = TaskState.Failed,
                CreatedAt = records[4].CreatedAt,
                UpdatedAt = records[4].UpdatedAt,
                AttemptCount = 1,
            },
            page.Items.Single(s => s.Id == records[4].Id));
    }

    [Fact]
    public async Task ListAll_StatusFilter_ThatStatusOfEveryUserAndNothingElse()
    {
        var start = NewestSpan();
        string[] users = [TaskRecords.NewUserId(), TaskRecords.NewUserId(), TaskRecords.NewUserId()];
        var records = Enumerable.Range(0, 36)
            .Select(i => TaskRecords.New(users[i % 3], start.AddSeconds(i), (TaskState)(i / 3 % 6)))
            .ToList();
        await WriteAllAsync(records);

        foreach (var status in Enum.GetValues<TaskState>())
        {
            var page = await Store.ListAllAsync(new TaskListQuery { Status = status, Limit = 100 }, Cancellation);

            var expected = TaskRecords.NewestFirst(records.Where(r => r.Status == status)).ToList();
            Assert.Equal(expected.Select(r => r.Id), page.Items.Take(expected.Count).Select(s => s.Id));
            Assert.Equal(3, expected.Select(r => r.UserId).Distinct().Count());
            Assert.All(page.Items, s => Assert.Equal(status, s.Status));
        }
    }

    [Fact]
    public async Task ListAll_TaskThatChangedStatus_ListedOnceUnderItsNewStatus()
    {
        var start = NewestSpan();
        var records = Enumerable.Range(0, 4)
            .Select(i => TaskRecords.New(TaskRecords.NewUserId(), start.AddSeconds(i)))
            .ToList();
        var etags = await WriteAllAsync(records);
        records[2].Status = TaskState.Running;
        await Store.WriteAsync(records[2], etags[2], Cancellation);

        var all = await Store.ListAllAsync(new TaskListQuery { Limit = 4 }, Cancellation);
        var queued = await Store.ListAllAsync(new TaskListQuery { Status = TaskState.Queued, Limit = 3 }, Cancellation);
        var running = await Store.ListAllAsync(
            new TaskListQuery { Status = TaskState.Running, Limit = 1 }, Cancellation);

        Assert.Equal(
            TaskRecords.NewestFirst(records).Select(r => (r.Id, r.Status)),
            all.Items.Select(s => (s.Id, s.Status)));
        Assert.Equal([records[3].Id, records[1].Id, records[0].Id], queued.Items.Select(s => s.Id));
        Assert.Equal(records[2].Id, Assert.Single(running.Items).Id);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(null, 7)]
    [InlineData(null, 100)]
    [InlineData(TaskState.Running, 1)]
    [InlineData(TaskState.Running, 7)]
    public async Task ListAll_TiesOnTheMillisecondAcrossPages_EveryTaskOnceInOrder(TaskState? status, int limit)
    {
        // 60 tasks of 4 users in 5 milliseconds, 3 statuses: pages end in the middle of a millisecond, and with no
        // status each page merges the ranges of several statuses.
        var start = NewestSpan();
        string[] users = [.. Enumerable.Range(0, 4).Select(_ => TaskRecords.NewUserId())];
        var records = Enumerable.Range(0, 60)
            .Select(i => TaskRecords.New(users[i % 4], start.AddMilliseconds(i % 5), (TaskState)(i % 3)))
            .ToList();
        await WriteAllAsync(records);
        var expected = TaskRecords.NewestFirst(records.Where(r => status is null || r.Status == status)).ToList();

        var listed = await ListAllUntilAsync(status, limit, expected.Count);

        Assert.Equal(expected.Select(r => r.Id), listed.Take(expected.Count).Select(s => s.Id));
        Assert.Equal(expected.Select(r => r.UserId), listed.Take(expected.Count).Select(s => s.UserId));
    }

    [Fact]
    public async Task ListAll_Limit_FullPagesThenLastPageWithoutCursor()
    {
        // The oldest tasks in the store, read from just above them: the listing's end is theirs.
        var start = OldestSpan();
        string[] users = [TaskRecords.NewUserId(), TaskRecords.NewUserId()];
        var records = Enumerable.Range(0, 10)
            .Select(i => TaskRecords.New(
                users[i % 2], start.AddSeconds(i), i % 2 == 0 ? TaskState.Queued : TaskState.Failed))
            .ToList();
        await WriteAllAsync(records);
        var above = new TaskCursor { CreatedAt = start.AddSeconds(10), TaskId = Guid.Empty };

        var first = await Store.ListAllAsync(new TaskListQuery { Limit = 4, After = above }, Cancellation);
        var second = await Store.ListAllAsync(new TaskListQuery { Limit = 4, After = first.NextCursor }, Cancellation);
        var third = await Store.ListAllAsync(new TaskListQuery { Limit = 4, After = second.NextCursor }, Cancellation);
        var exact = await Store.ListAllAsync(new TaskListQuery { Limit = 10, After = above }, Cancellation);
        var failed = await Store.ListAllAsync(
            new TaskListQuery { Status = TaskState.Failed, Limit = 5, After = above }, Cancellation);

        Assert.Equal([4, 4, 2], new[] { first, second, third }.Select(p => p.Items.Count));
        Assert.Equal(
            TaskRecords.NewestFirst(records).Select(r => r.Id),
            first.Items.Concat(second.Items).Concat(third.Items).Select(s => s.Id));
        Assert.Equal(
            new TaskCursor { CreatedAt = first.Items[^1].CreatedAt, TaskId = first.Items[^1].Id },
            first.NextCursor);
        Assert.NotNull(second.NextCursor);
        Assert.Null(third.NextCursor);

        // Exactly as many tasks as the limit: no further page, so no cursor that leads to an empty one.
        Assert.Equal(10, exact.Items.Count);
        Assert.Null(exact.NextCursor);
        Assert.Equal(
            TaskRecords.NewestFirst(records.Where(r => r.Status == TaskState.Failed)).Select(r => r.Id),
            failed.Items.Select(s => s.Id));
        Assert.Null(failed.NextCursor);
    }

    [Fact]
    public async Task ListAll_CursorOfDeletedTask_ContinuesAfterIt()
    {
        var start = NewestSpan();
        var records = Enumerable.Range(0, 6)
            .Select(i => TaskRecords.New(TaskRecords.NewUserId(), start.AddSeconds(i)))
            .ToList();
        var etags = await WriteAllAsync(records);
        var first = await Store.ListAllAsync(new TaskListQuery { Limit = 3 }, Cancellation);
        var lastOnPage = records.FindIndex(r => r.Id == first.Items[^1].Id);

        await Store.DeleteAsync(records[lastOnPage].Id, etags[lastOnPage], Cancellation);
        var second = await Store.ListAllAsync(new TaskListQuery { Limit = 3, After = first.NextCursor }, Cancellation);

        Assert.Equal(records.Take(3).Reverse().Select(r => r.Id), second.Items.Select(s => s.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TaskListQuery.MaxLimit + 1)]
    public async Task ListAll_LimitOutOfRange_Throws(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Store.ListAllAsync(new TaskListQuery { Limit = limit }, Cancellation));
    }

    /// <summary>A span of time later than any task written before: the listing starts with its tasks.</summary>
    private static DateTimeOffset NewestSpan() => FarFuture.AddDays(Interlocked.Increment(ref _spans));

    /// <summary>A span of time earlier than any task written before: the listing ends with its tasks.</summary>
    private static DateTimeOffset OldestSpan() => FarPast.AddDays(-Interlocked.Increment(ref _spans));

    /// <summary>Follows cursors until at least <paramref name="wanted"/> tasks are read or the listing ends.</summary>
    private async Task<List<TaskSummary>> ListAllUntilAsync(TaskState? status, int limit, int wanted)
    {
        var listed = new List<TaskSummary>();
        TaskCursor? after = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var page = await Store.ListAllAsync(
                new TaskListQuery { Status = status, Limit = limit, After = after }, Cancellation);
            Assert.True(page.Items.Count <= limit, $"A page of {page.Items.Count} tasks for a limit of {limit}.");
            Assert.All(page.Items, s => Assert.True(status is null || s.Status == status));
            listed.AddRange(page.Items);
            if (page.NextCursor is null || listed.Count >= wanted)
            {
                return listed;
            }

            Assert.Equal(limit, page.Items.Count);
            Assert.Equal(
                new TaskCursor { CreatedAt = page.Items[^1].CreatedAt, TaskId = page.Items[^1].Id },
                page.NextCursor);
            after = page.NextCursor;
        }

        throw new InvalidOperationException("The listing never ended.");
    }
}

using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>The listing half of the contract: order, filters, cursors and who sees what.</summary>
public abstract partial class TaskStoreContract
{
    [Fact]
    public async Task List_TasksWrittenOutOfOrder_NewestFirstWithIndexColumns()
    {
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 10)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(i)))
            .ToList();
        records[3].Status = TaskState.Failed;
        records[3].TaskType = "other";
        records[3].UpdatedAt = records[3].CreatedAt.AddMinutes(5);
        records[3].Attempts.Add(new AttemptRecord { Number = 1, StartedAt = records[3].CreatedAt });
        records[3].Attempts.Add(new AttemptRecord { Number = 2, StartedAt = records[3].CreatedAt });
        foreach (var record in records.OrderBy(_ => Guid.NewGuid()))
        {
            await Store.WriteAsync(record, null, Cancellation);
        }

        var page = await Store.ListByUserAsync(user, new TaskListQuery { Limit = 100 }, Cancellation);

        Assert.Equal(records.AsEnumerable().Reverse().Select(r => r.Id), page.Items.Select(s => s.Id));
        Assert.Null(page.NextCursor);
        var summary = page.Items.Single(s => s.Id == records[3].Id);
        Assert.Equal(
            new TaskSummary
            {
                Id = records[3].Id,
                TaskType = "other",
                Status = TaskState.Failed,
                CreatedAt = records[3].CreatedAt,
                UpdatedAt = records[3].UpdatedAt,
                AttemptCount = 2,
                UserId = user,
            },
            summary);
    }

    [Fact]
    public async Task List_RecordTimesWithSubMillisecondTicks_SummaryExactToTheMillisecond()
    {
        var record = TaskRecords.Full(TaskRecords.NewUserId());
        await Store.WriteAsync(record, null, Cancellation);

        var summary = Assert.Single(
            (await Store.ListByUserAsync(record.UserId, new TaskListQuery(), Cancellation)).Items);

        Assert.Equal(record.CreatedAt.ToUnixTimeMilliseconds(), summary.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(record.UpdatedAt.ToUnixTimeMilliseconds(), summary.UpdatedAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task List_StatusFilter_ListsOnlyThatStatusAndFollowsUpdates()
    {
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 12)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(i), (TaskState)(i % 3)))
            .ToList();
        var etags = await WriteAllAsync(records);
        records[0].Status = TaskState.Succeeded;
        await Store.WriteAsync(records[0], etags[0], Cancellation);

        var queued = await ListAllAsync(user, TaskState.Queued, limit: 100);
        var succeeded = await ListAllAsync(user, TaskState.Succeeded, limit: 100);

        Assert.Equal(
            TaskRecords.NewestFirst(records.Where(r => r.Status == TaskState.Queued)).Select(r => r.Id),
            queued.Select(s => s.Id));
        Assert.All(queued, s => Assert.Equal(TaskState.Queued, s.Status));
        Assert.Equal([records[0].Id], succeeded.Select(s => s.Id));
        Assert.Empty(await ListAllAsync(user, TaskState.Cancelled, limit: 100));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public async Task List_PagingWithCursors_EveryTaskOnceInOrder(int limit)
    {
        // Twelve distinct milliseconds for 360 tasks: most ties are broken by the id alone.
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 360)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddMilliseconds(i % 12), (TaskState)(i % 4)))
            .ToList();
        await WriteAllAsync(records);

        var all = await ListAllAsync(user, status: null, limit);
        var running = await ListAllAsync(user, TaskState.Running, limit);

        Assert.Equal(TaskRecords.NewestFirst(records).Select(r => r.Id), all.Select(s => s.Id));
        Assert.Equal(
            TaskRecords.NewestFirst(records.Where(r => r.Status == TaskState.Running)).Select(r => r.Id),
            running.Select(s => s.Id));
    }

    [Fact]
    public async Task List_Limit_FullPagesThenLastPageWithoutCursor()
    {
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 10)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(i)))
            .ToList();
        await WriteAllAsync(records);

        var first = await Store.ListByUserAsync(user, new TaskListQuery { Limit = 4 }, Cancellation);
        var second = await Store.ListByUserAsync(
            user, new TaskListQuery { Limit = 4, After = first.NextCursor }, Cancellation);
        var third = await Store.ListByUserAsync(
            user, new TaskListQuery { Limit = 4, After = second.NextCursor }, Cancellation);
        var exact = await Store.ListByUserAsync(user, new TaskListQuery { Limit = 10 }, Cancellation);

        Assert.Equal(4, first.Items.Count);
        Assert.Equal(4, second.Items.Count);
        Assert.Equal(2, third.Items.Count);
        Assert.NotNull(first.NextCursor);
        Assert.NotNull(second.NextCursor);
        Assert.Null(third.NextCursor);
        Assert.Equal(
            new TaskCursor { CreatedAt = first.Items[^1].CreatedAt, TaskId = first.Items[^1].Id },
            first.NextCursor);

        // Exactly as many tasks as the limit: no further page, so no cursor that leads to an empty one.
        Assert.Equal(10, exact.Items.Count);
        Assert.Null(exact.NextCursor);
    }

    [Fact]
    public async Task List_CursorOfDeletedTask_ContinuesAfterIt()
    {
        var user = TaskRecords.NewUserId();
        var records = Enumerable.Range(0, 6)
            .Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(i)))
            .ToList();
        var etags = await WriteAllAsync(records);
        var first = await Store.ListByUserAsync(user, new TaskListQuery { Limit = 3 }, Cancellation);
        var lastOnPage = records.FindIndex(r => r.Id == first.Items[^1].Id);

        await Store.DeleteAsync(records[lastOnPage].Id, etags[lastOnPage], Cancellation);
        var second = await Store.ListByUserAsync(
            user, new TaskListQuery { Limit = 3, After = first.NextCursor }, Cancellation);

        Assert.Equal(records.Take(3).Reverse().Select(r => r.Id), second.Items.Select(s => s.Id));
    }

    [Fact]
    public async Task List_OtherUsersTasks_NeverListed()
    {
        var user = TaskRecords.NewUserId();
        var other = TaskRecords.NewUserId();
        var mine = Enumerable.Range(0, 5).Select(i => TaskRecords.New(user, TaskRecords.BaseTime.AddSeconds(i)));
        var theirs = Enumerable.Range(0, 5).Select(i => TaskRecords.New(other, TaskRecords.BaseTime.AddSeconds(i)));
        var records = mine.Concat(theirs).ToList();
        await WriteAllAsync(records);

        var listed = await ListAllAsync(user, status: null, limit: 2);
        var queued = await ListAllAsync(user, TaskState.Queued, limit: 100);
        var nobody = await ListAllAsync(TaskRecords.NewUserId(), status: null, limit: 100);

        Assert.Equal(
            TaskRecords.NewestFirst(records.Where(r => r.UserId == user)).Select(r => r.Id),
            listed.Select(s => s.Id));
        Assert.Equal(listed.Select(s => s.Id), queued.Select(s => s.Id));
        Assert.Empty(nobody);
    }

    [Fact]
    public async Task List_UserIdsThatDifferOnlyInCase_AreDifferentUsers()
    {
        var user = TaskRecords.NewUserId();
        var record = TaskRecords.New(user, TaskRecords.BaseTime);
        await Store.WriteAsync(record, null, Cancellation);

        var page = await Store.ListByUserAsync(user.ToUpperInvariant(), new TaskListQuery(), Cancellation);

        Assert.Empty(page.Items);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TaskListQuery.MaxLimit + 1)]
    public async Task List_LimitOutOfRange_Throws(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Store.ListByUserAsync(TaskRecords.NewUserId(), new TaskListQuery { Limit = limit }, Cancellation));
    }

    private async Task<List<TaskSummary>> ListAllAsync(string userId, TaskState? status, int limit)
    {
        var listed = new List<TaskSummary>();
        TaskCursor? after = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var page = await Store.ListByUserAsync(
                userId, new TaskListQuery { Status = status, Limit = limit, After = after }, Cancellation);
            Assert.True(page.Items.Count <= limit, $"A page of {page.Items.Count} tasks for a limit of {limit}.");
            listed.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return listed;
            }

            Assert.Equal(limit, page.Items.Count);
            after = page.NextCursor;
        }

        throw new InvalidOperationException("The listing never ended.");
    }
}

using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Grains.Tests.Tasks;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.Grains.Tests.Operators;

/// <summary>
/// <see cref="IOperatorTasksGrain"/> on a real silo with the real embedded store. The store is shared with the
/// collection's other classes, which never run at the same time: tasks a test stores far in the future, or submits
/// last, are the newest in it.
/// </summary>
[Collection(TaskClusterGroup.Name)]
public sealed class OperatorTasksGrainTests(TaskClusterFixture cluster)
{
    private static long _spans;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private IOperatorTasksGrain Operators => cluster.Client.GetGrain<IOperatorTasksGrain>(0);

    [Fact]
    public async Task List_StoredTasksOfSeveralUsers_NewestFirstWithUserIdsAndNoTaskGrainActivated()
    {
        var start = NewestSpan();
        string[] users = [NewUser(), NewUser(), NewUser()];
        var records = Enumerable.Range(0, 9).Select(i => Record(users[i % 3], start.AddSeconds(i))).ToList();
        foreach (var record in records)
        {
            await cluster.Store.WriteAsync(record, null, Cancellation);
        }

        var page = await Operators.ListAsync(new TaskListQuery { Limit = records.Count });
        var afterListing = await ActiveGrainsAsync();
        await cluster.Client.GetGrain<ITaskGrain>(records[0].Id).GetAsync(records[0].UserId);
        var afterReading = await ActiveGrainsAsync();

        Assert.Equal(
            records.AsEnumerable().Reverse().Select(r => (r.Id, r.UserId)),
            page.Items.Select(s => (s.Id, s.UserId)));
        Assert.All(records, r => Assert.DoesNotContain(TaskGrainId(r.Id), afterListing));

        // The check sees task grains when there are some: reading one task activates its grain.
        Assert.Contains(TaskGrainId(records[0].Id), afterReading);
    }

    [Fact]
    public async Task List_SubmittedTasks_ListedWithTheirUsersAndStates()
    {
        var quick = cluster.Scenario(_ => ServiceReply.Ok("{}"));
        var refused = cluster.Scenario(_ => ServiceReply.Problem(422, "never"));
        var alice = NewUser();
        var bob = NewUser();
        var succeeded = await cluster.SubmitAsync("fast", quick, alice);
        var failed = await cluster.SubmitAsync("fast", refused, bob);
        await cluster.WaitForAsync(succeeded.Id, t => t.Status.IsFinal(), userId: alice);
        await cluster.WaitForAsync(failed.Id, t => t.Status.IsFinal(), userId: bob);

        // Below the stored tasks of the far future, where the newest submissions are.
        var now = new TaskCursor { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(1), TaskId = Guid.Empty };
        var page = await Operators.ListAsync(new TaskListQuery { Limit = 2, After = now });
        var onlyFailed = await Operators.ListAsync(
            new TaskListQuery { Status = TaskState.Failed, Limit = 1, After = now });

        Assert.Equal(
            [(failed.Id, bob, TaskState.Failed), (succeeded.Id, alice, TaskState.Succeeded)],
            page.Items.Select(s => (s.Id, s.UserId, s.Status)));
        Assert.Equal(failed.Id, Assert.Single(onlyFailed.Items).Id);
        Assert.All(page.Items, s => Assert.Equal(1, s.AttemptCount));
    }

    [Fact]
    public async Task List_StatusFilterAndCursor_PagesThroughThatStatusOfEveryUser()
    {
        var start = NewestSpan();
        string[] users = [NewUser(), NewUser()];
        var records = Enumerable.Range(0, 12)
            .Select(i => Record(
                users[i % 2], start.AddMilliseconds(i / 3), i % 3 == 0 ? TaskState.Retrying : TaskState.Queued))
            .ToList();
        foreach (var record in records)
        {
            await cluster.Store.WriteAsync(record, null, Cancellation);
        }

        var first = await Operators.ListAsync(new TaskListQuery { Status = TaskState.Retrying, Limit = 3 });
        var second = await Operators.ListAsync(
            new TaskListQuery { Status = TaskState.Retrying, Limit = 3, After = first.NextCursor });

        var expected = records.Where(r => r.Status == TaskState.Retrying)
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.Id)
            .Select(r => r.Id);
        Assert.Equal(expected, first.Items.Concat(second.Items.Take(1)).Select(s => s.Id));
        Assert.All(first.Items.Concat(second.Items), s => Assert.Equal(TaskState.Retrying, s.Status));
        Assert.Equal(2, first.Items.Select(s => s.UserId).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TaskListQuery.MaxLimit + 1)]
    public async Task List_LimitOutOfRange_RefusedWithTheRange(int limit)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Operators.ListAsync(new TaskListQuery { Limit = limit }));

        Assert.Contains($"from 1 to {TaskListQuery.MaxLimit}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A span of time later than every task stored before: the listing starts with its tasks.</summary>
    private static DateTimeOffset NewestSpan() =>
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddYears(50).ToUnixTimeMilliseconds())
            .AddDays(Interlocked.Increment(ref _spans));

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N");

    private static TaskRecord Record(string userId, DateTimeOffset createdAt, TaskState status = TaskState.Queued) =>
        new()
        {
            Id = TaskIds.New(),
            UserId = userId,
            TaskType = "fast",
            Parameters = new Dictionary<string, string> { ["scenario"] = "stored only" },
            Status = status,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            MaxAttempts = 3,
        };

    private GrainId TaskGrainId(Guid taskId) => cluster.Client.GetGrain<ITaskGrain>(taskId).GetGrainId();

    private async Task<HashSet<GrainId>> ActiveGrainsAsync()
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics.Select(s => s.GrainId)];
    }
}

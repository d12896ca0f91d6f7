using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using TaskQueue.Grains.Interfaces;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.Grains.Tests.Tasks;

[CollectionDefinition(Name)]
public sealed class TaskClusterGroup : ICollectionFixture<TaskClusterFixture>
{
    public const string Name = "task cluster";
}

[Collection(TaskClusterGroup.Name)]
public sealed class TaskGrainTests(TaskClusterFixture cluster)
{
    [Fact]
    public async Task Submit_ServiceAnswers200_SucceedsWithTheStoredResult()
    {
        const string sbom = """{"bomFormat":"CycloneDX","components":[]}""";
        var scenario = cluster.Scenario(_ => ServiceReply.Ok(sbom, "application/vnd.cyclonedx+json"));

        var submitted = await cluster.SubmitAsync("fast", scenario);
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        Assert.Equal(TaskState.Succeeded, done.Status);
        var attempt = Assert.Single(done.Attempts);
        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal("application/vnd.cyclonedx+json", done.Result!.MediaType);
        Assert.Equal(Encoding.UTF8.GetByteCount(sbom), done.Result.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sbom))), done.Result.Sha256);
        var call = Assert.Single(cluster.Service.CallsFor(submitted.Id));
        Assert.Equal(1, call.Attempt);
        Assert.Equal($$"""{"scenario":"{{scenario}}"}""", call.Body);
    }

    [Fact]
    public async Task Submit_Before_IsStoredAsQueuedWithDefaults()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromSeconds(1) });

        var submitted = await cluster.SubmitAsync("fast", scenario);
        var stored = await cluster.Store.ReadAsync(submitted.Id, TestContext.Current.CancellationToken);

        Assert.Equal(TaskState.Queued, submitted.Status);
        Assert.NotNull(stored);
        Assert.Equal("alice", stored.Record.UserId);
        Assert.Equal(3, stored.Record.MaxAttempts);
        await cluster.WaitForFinalAsync(submitted.Id);
    }

    [Fact]
    public async Task Submit_ServiceFailsTwiceWith503_RetriesAndSucceeds()
    {
        var scenario = cluster.Scenario(call => call.Attempt < 3 ? ServiceReply.Fail(503, "busy") : ServiceReply.Ok("{}"));

        var submitted = await cluster.SubmitAsync("fast", scenario);
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        Assert.Equal(TaskState.Succeeded, done.Status);
        Assert.Equal(
            [AttemptOutcome.TransientFailure, AttemptOutcome.TransientFailure, AttemptOutcome.Succeeded],
            done.Attempts.Select(a => a.Outcome));
        Assert.Equal("HTTP 503: busy", done.Attempts[0].Message);
        Assert.Equal(3, cluster.Service.CallsFor(submitted.Id).Count);
    }

    [Fact]
    public async Task Retry_AfterTwoSecondBackoff_ComesAboutTwoSecondsLater()
    {
        var scenario = cluster.Scenario(call => call.Attempt == 1 ? ServiceReply.Fail(500) : ServiceReply.Ok("{}"));

        var submitted = await cluster.SubmitAsync("paced", scenario);
        await cluster.WaitForFinalAsync(submitted.Id);

        var calls = cluster.Service.CallsFor(submitted.Id);
        var gap = calls[1].ReceivedAt - calls[0].ReceivedAt;
        Assert.InRange(gap.TotalSeconds, 1.6, 3.0);
    }

    [Fact]
    public async Task Retry_ServiceSendsRetryAfter_IsHonoured()
    {
        var scenario = cluster.Scenario(call => call.Attempt == 1 ? ServiceReply.Fail(429, "slow down", retryAfterSeconds: 1) : ServiceReply.Ok("{}"));

        var submitted = await cluster.SubmitAsync("fast", scenario);
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        var calls = cluster.Service.CallsFor(submitted.Id);
        Assert.Equal(TaskState.Succeeded, done.Status);
        Assert.InRange((calls[1].ReceivedAt - calls[0].ReceivedAt).TotalSeconds, 0.9, 2.5);
    }

    [Fact]
    public async Task Submit_ServiceAnswers404_FailsAtOnceWithTheServiceMessage()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Problem(404, "Image 'docker.io/library/ubuntud:latest' was not found."));

        var submitted = await cluster.SubmitAsync("fast", scenario);
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        Assert.Equal(TaskState.Failed, done.Status);
        Assert.Single(done.Attempts);
        Assert.Equal("permanent_failure", done.Error!.Code);
        Assert.Equal("HTTP 404: Image 'docker.io/library/ubuntud:latest' was not found.", done.Error.Message);
        Assert.Single(cluster.Service.CallsFor(submitted.Id));
    }

    [Fact]
    public async Task Submit_EndpointUnreachable_RetriesThenFailsWithTheReason()
    {
        var submitted = await cluster.SubmitAsync("unreachable", "none");
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        Assert.Equal(TaskState.Failed, done.Status);
        Assert.Equal(3, done.Attempts.Count);
        Assert.All(done.Attempts, a => Assert.Equal(AttemptOutcome.TransientFailure, a.Outcome));
        Assert.Equal("attempts_exhausted", done.Error!.Code);
        Assert.Contains("could not be reached", done.Error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", done.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_PassesItsDeadline_IsRetriedThenFails()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromSeconds(10) });

        var submitted = await cluster.SubmitAsync("deadline", scenario);
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        Assert.Equal(TaskState.Failed, done.Status);
        Assert.Equal(2, done.Attempts.Count);
        Assert.Contains("deadline", done.Attempts[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WhileAttemptInFlight_AnswersAtOnce()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromSeconds(5) });
        var submitted = await cluster.SubmitAsync("fast", scenario);
        await cluster.WaitForAsync(submitted.Id, t => t.Status == TaskState.Running);

        var stopwatch = Stopwatch.StartNew();
        var view = await cluster.Client.GetGrain<ITaskGrain>(submitted.Id).GetAsync("alice");
        var page = await cluster.Client.GetGrain<IUserTasksGrain>("alice").ListAsync(new TaskListQuery { Limit = 5 });
        stopwatch.Stop();

        Assert.Equal(TaskState.Running, view!.Status);
        Assert.Null(view.Attempts[0].EndedAt);
        Assert.Contains(page.Items, t => t.Id == submitted.Id && t.Status == TaskState.Running);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Reads took {stopwatch.Elapsed}.");
        await cluster.WaitForFinalAsync(submitted.Id);
    }

    [Fact]
    public async Task Cancel_WhileAttemptInFlight_CancelsAndStoresNoResult()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromSeconds(20) });
        var submitted = await cluster.SubmitAsync("fast", scenario);
        await cluster.WaitForAsync(submitted.Id, t => t.Status == TaskState.Running);

        var result = await cluster.Client.GetGrain<ITaskGrain>(submitted.Id).CancelAsync("alice");

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(TaskState.Cancelled, result.Task!.Status);
        Assert.Equal(AttemptOutcome.Cancelled, result.Task.Attempts.Single().Outcome);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        var after = await cluster.Client.GetGrain<ITaskGrain>(submitted.Id).GetAsync("alice");
        Assert.Equal(TaskState.Cancelled, after!.Status);
        Assert.Null(after.Result);
        Assert.False(File.Exists(Path.Combine(cluster.ResultsFolder, submitted.Id.ToString())));
    }

    [Fact]
    public async Task Cancel_FinishedTask_AnswersAlreadyFinished()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}"));
        var submitted = await cluster.SubmitAsync("fast", scenario);
        await cluster.WaitForFinalAsync(submitted.Id);

        var result = await cluster.Client.GetGrain<ITaskGrain>(submitted.Id).CancelAsync("alice");

        Assert.Equal(CancelOutcome.AlreadyFinished, result.Outcome);
        Assert.Equal(TaskState.Succeeded, result.Task!.Status);
    }

    [Fact]
    public async Task Submit_SameSubmissionTwice_IsAcceptedOnce()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}"));
        var id = TaskIds.ForIdempotencyKey("alice", scenario);
        var submission = new TaskSubmission
        {
            UserId = "alice",
            TaskType = "fast",
            Parameters = new Dictionary<string, string> { ["scenario"] = scenario },
        };

        var first = await cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(submission);
        var again = await cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(submission);
        var different = await cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(submission with { TaskType = "paced" });
        var otherUser = await cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(submission with { UserId = "bob" });

        Assert.Equal(SubmitOutcome.Accepted, first.Outcome);
        Assert.Equal(SubmitOutcome.AlreadyAccepted, again.Outcome);
        Assert.Equal(first.Task!.CreatedAt, again.Task!.CreatedAt);
        Assert.Equal(SubmitOutcome.Conflict, different.Outcome);
        Assert.Null(different.Task);
        Assert.Equal(SubmitOutcome.Conflict, otherUser.Outcome);
        await cluster.WaitForFinalAsync(id);
        Assert.Single(cluster.Service.CallsFor(id));
    }

    [Theory]
    [InlineData("reminder")]
    [InlineData("record")]
    public async Task Submit_StorageFailsOnce_HoldsNothingAndTheRetryStoresAndRunsTheTask(string failing)
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}"));
        var id = TaskIds.ForIdempotencyKey("alice", scenario);
        var submission = new TaskSubmission
        {
            UserId = "alice",
            TaskType = "fast",
            Parameters = new Dictionary<string, string> { ["scenario"] = scenario },
        };
        if (failing == "reminder")
        {
            cluster.Faults.FailNextReminderRegistration(id);
        }
        else
        {
            cluster.Faults.FailNextRecordWrite(id);
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(submission));
        var afterRefusal = await cluster.Client.GetGrain<ITaskGrain>(id).GetAsync("alice");
        var storedAfterRefusal = await cluster.Store.ReadAsync(id, TestContext.Current.CancellationToken);
        var retried = await cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(submission);
        var done = await cluster.WaitForFinalAsync(id);

        Assert.Contains("Injected failure", refused.Message, StringComparison.Ordinal);
        Assert.Null(afterRefusal);
        Assert.Null(storedAfterRefusal);
        Assert.Equal(SubmitOutcome.Accepted, retried.Outcome);
        Assert.Equal(TaskState.Succeeded, done.Status);
        Assert.NotNull(await cluster.Store.ReadAsync(id, TestContext.Current.CancellationToken));
        Assert.Single(cluster.Service.CallsFor(id));
    }

    [Fact]
    public async Task Submit_Invalid_StoresNothing()
    {
        var id = TaskIds.New();

        var result = await cluster.Client.GetGrain<ITaskGrain>(id).SubmitAsync(new TaskSubmission
        {
            UserId = "alice",
            TaskType = "fast",
            Parameters = new Dictionary<string, string> { ["colour"] = "blue" },
        });

        Assert.Equal(SubmitOutcome.Invalid, result.Outcome);
        Assert.Equal(["params.colour", "params.scenario"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Null(await cluster.Store.ReadAsync(id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OtherUser_CannotSeeOrCancelTheTask()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}"));
        var submitted = await cluster.SubmitAsync("fast", scenario);

        var seen = await cluster.Client.GetGrain<ITaskGrain>(submitted.Id).GetAsync("mallory");
        var cancelled = await cluster.Client.GetGrain<ITaskGrain>(submitted.Id).CancelAsync("mallory");
        var listed = await cluster.Client.GetGrain<IUserTasksGrain>("mallory").ListAsync(new TaskListQuery());

        Assert.Null(seen);
        Assert.Equal(CancelOutcome.NotFound, cancelled.Outcome);
        Assert.Null(cancelled.Task);
        Assert.DoesNotContain(listed.Items, t => t.Id == submitted.Id);
        Assert.NotEqual(TaskState.Cancelled, (await cluster.WaitForFinalAsync(submitted.Id)).Status);
    }

    [Fact]
    public async Task Result_OverTheTypesLimit_FailsTheTask()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok(new string('x', 100), "text/plain"));

        var submitted = await cluster.SubmitAsync("tiny", scenario);
        var done = await cluster.WaitForFinalAsync(submitted.Id);

        Assert.Equal(TaskState.Failed, done.Status);
        Assert.Equal("result_too_large", done.Error!.Code);
        Assert.Single(done.Attempts);
    }

    [Fact]
    public async Task Dispatch_ManyTasks_NeverExceedsTheTypesConcurrency()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromMilliseconds(200) });

        var submitted = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cluster.SubmitAsync("narrow", scenario)));
        var done = await Task.WhenAll(submitted.Select(t => cluster.WaitForFinalAsync(t.Id)));

        Assert.All(done, t => Assert.Equal(TaskState.Succeeded, t.Status));
        Assert.Equal(8, submitted.Sum(t => cluster.Service.CallsFor(t.Id).Count));
        Assert.Equal(2, cluster.Service.MaxConcurrentCallsFor(submitted.Select(t => t.Id)));
    }

    [Fact]
    public async Task Service_IsNeverCalledMoreOftenThanAttemptsRecorded()
    {
        var scenario = cluster.Scenario(call => call.Attempt % 2 == 1 ? ServiceReply.Fail(502) : ServiceReply.Ok("{}"));

        var submitted = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => cluster.SubmitAsync("fast", scenario)));
        var done = await Task.WhenAll(submitted.Select(t => cluster.WaitForFinalAsync(t.Id)));

        Assert.All(done, t =>
        {
            Assert.Equal(TaskState.Succeeded, t.Status);
            Assert.Equal(t.Attempts.Count, cluster.Service.CallsFor(t.Id).Count);
        });
    }

    [Fact]
    public async Task Dispatch_ServiceBusyForAWhile_WaitingTasksDoNotSpendTheirAttempts()
    {
        // One scan at a time, like SyftService: while it is busy it answers 503 with Retry-After at once.
        var busyUntil = DateTimeOffset.UtcNow.AddSeconds(3);
        var scenario = cluster.Scenario(_ => DateTimeOffset.UtcNow < busyUntil
            ? ServiceReply.Fail(503, "busy with another scan", retryAfterSeconds: 1)
            : ServiceReply.Ok("{}") with { Delay = TimeSpan.FromMilliseconds(50) });

        var submitted = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => cluster.SubmitAsync("single", scenario)));
        var done = await Task.WhenAll(submitted.Select(t => cluster.WaitForFinalAsync(t.Id, TimeSpan.FromSeconds(60))));

        Assert.All(done, t => Assert.Equal(TaskState.Succeeded, t.Status));
        var refusals = done.Sum(t => t.Attempts.Count(a => a.StatusCode == 503));
        Assert.InRange(refusals, 1, 6);
    }

    [Fact]
    public async Task Dispatch_OneUsersBacklog_DoesNotHoldAnotherUsersTaskBehindIt()
    {
        var scenario = cluster.Scenario(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromMilliseconds(100) });
        var backlog = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cluster.SubmitAsync("single", scenario, userId: "hoarder")));
        var ids = backlog.Select(t => t.Id.ToString()).ToHashSet();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            // The backlog is being served: the rest of it waits for the one slot.
            while (!cluster.Service.Calls.Any(c => ids.Contains(c.TaskId!)))
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        var other = await cluster.SubmitAsync("single", scenario, userId: "zoe");
        await cluster.WaitForAsync(other.Id, t => t.Status == TaskState.Succeeded, userId: "zoe");

        var finishedBefore = 0;
        foreach (var task in backlog)
        {
            var view = await cluster.Client.GetGrain<ITaskGrain>(task.Id).GetAsync("hoarder");
            finishedBefore += view!.Status == TaskState.Succeeded ? 1 : 0;
        }

        // The one in flight when zoe arrived, and at most the next of the hoarder's turns.
        Assert.InRange(finishedBefore, 0, 3);
        await Task.WhenAll(backlog.Select(t => cluster.WaitForAsync(t.Id, v => v.Status.IsFinal(), TimeSpan.FromSeconds(60), "hoarder")));
    }
}

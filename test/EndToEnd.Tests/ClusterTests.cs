using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using TaskQueue.TestSupport.PostgreSql;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// Three silo processes and a gateway on a real PostgreSQL: silos die (SIGKILL), stop in order (SIGTERM) and
/// all restart together, while the task service (a real HTTP server in this process) counts every call.
/// </summary>
public sealed class ClusterTests(PostgreSqlDatabaseFixture database) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const string User = "alice";

    [Fact]
    public async Task Silo_KilledUnderAStreamOfSubmissions_LosesNothingAndRunsNothingTwice()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(call => ServiceReply.Ok($$"""{"call":{{call.Number}}}""") with { Delay = TimeSpan.FromMilliseconds(300) });
        await using var cluster = await StartAsync(service, reminderPeriod: "00:00:03", cancellationToken);
        var accepted = new ConcurrentBag<Guid>();
        var refused = new ConcurrentBag<HttpStatusCode>();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stream = Submitters(cluster, accepted, refused, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var beforeKill = accepted.Count;
        await cluster.KillSiloAsync(1);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        await cluster.StartSiloAsync(1, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await stop.CancelAsync();
        await stream;

        // Unacknowledged submissions are allowed only as "try again" (503), never as anything else.
        Assert.All(refused, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.True(beforeKill >= 10, $"Only {beforeKill} tasks were accepted before the kill.");
        Assert.True(accepted.Count > beforeKill, "Nothing was accepted after the kill.");
        await AssertEveryTaskSucceededOnceAsync(cluster, service, accepted, cancellationToken);
    }

    [Fact]
    public async Task WholeCluster_KilledAndRestarted_RecoversEveryUnfinishedTask()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var holding = true;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(_ => holding
            ? ServiceReply.Ok("{}") with { Delay = TimeSpan.FromMinutes(5) }
            : ServiceReply.Ok("""{"late":true}"""));
        await using var cluster = await StartAsync(service, reminderPeriod: "00:00:03", cancellationToken);
        var accepted = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var (status, id) = await cluster.SubmitAsync(User, "work", cancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, status);
            accepted.Add(id!.Value);
        }

        await WaitUntilAsync(() => service.Calls.Count >= 12, TimeSpan.FromSeconds(30), cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.KillSiloAsync));
        holding = false;
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => cluster.StartSiloAsync(i, cancellationToken)));

        await AssertEveryTaskSucceededOnceAsync(cluster, service, accepted, cancellationToken);
    }

    [Fact]
    public async Task Silo_StoppedInOrder_HandsItsTasksOverWithoutFailingOrCountingThem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromSeconds(3) });

        // A reminder period far longer than the test: whatever resumes the tasks, it is not their reminders.
        await using var cluster = await StartAsync(service, reminderPeriod: "00:05:00", cancellationToken, maxAttempts: 1);
        var accepted = new List<Guid>();
        for (var i = 0; i < 15; i++)
        {
            accepted.Add((await cluster.SubmitAsync(User, "work", cancellationToken)).Id!.Value);
        }

        await WaitUntilAsync(() => service.Calls.Count >= 15, TimeSpan.FromSeconds(30), cancellationToken);
        var exitCode = await cluster.StopSiloAsync(1);

        Assert.Equal(0, exitCode);
        var done = await AssertEveryTaskSucceededOnceAsync(cluster, service, accepted, cancellationToken);
        var handedOver = done.Where(t => t.GetProperty("attempts").EnumerateArray()
            .Any(a => a.GetProperty("message").GetString()?.Contains("handed over", StringComparison.Ordinal) == true)).ToArray();
        Assert.NotEmpty(handedOver);
    }

    private async Task<ProcessCluster> StartAsync(
        ScriptedTaskService service,
        string reminderPeriod,
        CancellationToken cancellationToken,
        int maxAttempts = 5) =>
        await ProcessCluster.StartAsync(database.ConnectionString, 3, new Dictionary<string, string?>
        {
            ["TaskQueue__Recovery__ReminderPeriod"] = reminderPeriod,
            ["TaskQueue__TaskTypes__work__Endpoint"] = service.Endpoint.ToString(),
            ["TaskQueue__TaskTypes__work__InitialBackoff"] = "00:00:00.200",
            ["TaskQueue__TaskTypes__work__MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);

    private static Task Submitters(
        ProcessCluster cluster,
        ConcurrentBag<Guid> accepted,
        ConcurrentBag<HttpStatusCode> refused,
        CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            // A careful client: one idempotency key per task, the same key again after a refusal until accepted. A
            // repeat answered "already accepted" must name a task that was stored and will run (a tester once got
            // 200 for a task held only in memory after its reminder registration failed).
            var key = Guid.NewGuid().ToString("N");
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, id) = await cluster.SubmitAsync(User, "work", stop, key);
                    if (id is { } task)
                    {
                        accepted.Add(task);
                        key = Guid.NewGuid().ToString("N");
                    }
                    else
                    {
                        refused.Add(status);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        }, CancellationToken.None)));

    /// <summary>
    /// Every task succeeded; the service was called no more often than attempts were recorded; the stored
    /// result is the one the task recorded; the result was written once, or, for a task whose silo died between
    /// writing it and recording the success (an interrupted attempt), once per call at most.
    /// </summary>
    private static async Task<JsonElement[]> AssertEveryTaskSucceededOnceAsync(
        ProcessCluster cluster,
        ScriptedTaskService service,
        IEnumerable<Guid> tasks,
        CancellationToken cancellationToken)
    {
        var done = new List<(Guid Id, JsonElement Task)>();
        foreach (var id in tasks)
        {
            var task = await cluster.WaitForFinalAsync(id, User, TimeSpan.FromSeconds(120), cancellationToken);
            Assert.Equal("succeeded", task.GetProperty("status").GetString());
            Assert.InRange(service.CallsFor(id).Count, 1, task.GetProperty("attempts").GetArrayLength());
            using var result = await cluster.Http.SendAsync(cluster.Request(HttpMethod.Get, $"/tasks/{id}/result", User), cancellationToken);
            var bytes = await result.Content.ReadAsByteArrayAsync(cancellationToken);
            Assert.Equal(task.GetProperty("result").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            done.Add((id, task));
        }

        // Counted only once the silos' logs are quiet: a second write's line could still be on its way.
        await ResultWritesSettledAsync(cluster, cancellationToken);
        foreach (var (id, task) in done)
        {
            var writes = cluster.ResultWrites.GetValueOrDefault(id);
            var interrupted = task.GetProperty("attempts").EnumerateArray()
                .Any(attempt => attempt.GetProperty("outcome").GetString() == "interrupted");
            if (interrupted)
            {
                Assert.InRange(writes, 1, service.CallsFor(id).Count);
            }
            else
            {
                // Nothing interrupted it, so nothing ran it twice.
                Assert.Equal(1, writes);
                Assert.Single(service.CallsFor(id));
            }
        }

        return [.. done.Select(d => d.Task)];
    }

    /// <summary>Waits until no result write has been logged for a second (at most 20 s).</summary>
    private static async Task ResultWritesSettledAsync(ProcessCluster cluster, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var last = -1;
        var now = cluster.ResultWrites.Values.Sum();
        while (now != last && !timeout.IsCancellationRequested)
        {
            last = now;
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            now = cluster.ResultWrites.Values.Sum();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> done, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        while (!done())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// The silo process dies with SIGKILL (no shutdown code runs) and is started again on the same files: nothing
/// acknowledged is lost and unfinished tasks go on. The task service is a real HTTP server in this process.
/// </summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Silo_KilledMidTask_ComesBackAndFinishesIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(call => call.Number == 1
            ? ServiceReply.Ok("{}") with { Delay = TimeSpan.FromMinutes(5) }
            : ServiceReply.Ok("""{"done":true}"""));
        await using var system = await LocalSystem.StartAsync(LocalSystem.TaskType("work", service.Endpoint), cancellationToken);

        var (status, id) = await system.SubmitAsync("alice", "work", [], cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await system.WaitForStatusAsync(id!.Value, "alice", TimeSpan.FromSeconds(30), cancellationToken, "running");
        await system.KillSiloAsync();
        await system.StartSiloAsync(cancellationToken);
        var done = await system.WaitForStatusAsync(id.Value, "alice", TimeSpan.FromSeconds(60), cancellationToken, "succeeded", "failed");

        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var attempts = done.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["interrupted", "succeeded"], attempts.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal(2, service.CallsFor(id.Value).Count);
    }

    [Fact]
    public async Task Silo_KilledWhileTasksStreamIn_LosesNothingAcknowledged()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(_ => ServiceReply.Ok("{}") with { Delay = TimeSpan.FromMilliseconds(20) });
        await using var system = await LocalSystem.StartAsync(LocalSystem.TaskType("work", service.Endpoint), cancellationToken);
        var acknowledged = new ConcurrentBag<Guid>();
        var refused = 0;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var submitters = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, id) = await system.SubmitAsync("alice", "work", [], stop.Token);
                    if (id is { } accepted)
                    {
                        acknowledged.Add(accepted);
                    }
                    else
                    {
                        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                        Interlocked.Increment(ref refused);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        }, CancellationToken.None)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var beforeKill = acknowledged.Count;
        await system.KillSiloAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await system.StartSiloAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(submitters);

        Assert.True(beforeKill > 20, $"Only {beforeKill} tasks were acknowledged before the kill.");
        Assert.True(acknowledged.Count > beforeKill, "No task was acknowledged after the restart.");
        foreach (var id in acknowledged)
        {
            var task = await system.WaitForStatusAsync(id, "alice", TimeSpan.FromSeconds(60), cancellationToken, "succeeded", "failed");
            Assert.Equal("succeeded", task.GetProperty("status").GetString());
            // An attempt recorded just before the kill may never have reached the service; never the reverse.
            Assert.InRange(service.CallsFor(id).Count, 1, task.GetProperty("attempts").GetArrayLength());
        }
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Results;
using TaskQueue.Silo.Hosting;
using TaskQueue.TestSupport.PostgreSql;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.Grains.Tests.Tasks;

/// <summary>
/// Three silos in one process sharing a real PostgreSQL database (tasks and reminders) and a result folder;
/// one silo is killed while attempts are in flight. Silos in one process cannot really die: the killed silo's
/// in-flight HTTP calls may still finish in the background, exactly like a silo cut off from the cluster
/// would. The process-level test (EndToEnd.Tests) kills a real process.
/// </summary>
public sealed class ClusterFailoverTests(PostgreSqlDatabaseFixture database) : IClassFixture<PostgreSqlDatabaseFixture>
{
    [Fact]
    public async Task Silo_KilledWithAttemptsInFlight_EveryTaskStillFinishes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var connectionString = database.ConnectionString;
        var results = Directory.CreateTempSubdirectory("taskqueue-failover-").FullName;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(call => ServiceReply.Ok($$"""{"call":{{call.Number}}}""") with { Delay = TimeSpan.FromSeconds(2) });
        await using var cluster = await StartClusterAsync(connectionString, results, service.Endpoint);

        var submitted = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var result = await cluster.Client.GetGrain<ITaskGrain>(TaskIds.New()).SubmitAsync(new TaskSubmission
            {
                UserId = "alice",
                TaskType = "work",
                Parameters = new Dictionary<string, string>(),
            });
            submitted.Add(result.Task!.Id);
        }

        await WaitAsync(() => service.Calls.Count >= 10, TimeSpan.FromSeconds(30), cancellationToken);
        var hosting = await SilosHostingTasksAsync(cluster);
        await cluster.KillSiloAsync(cluster.Silos[1], cancellationToken);
        var done = new List<TaskView>();
        foreach (var id in submitted)
        {
            done.Add(await WaitForFinalAsync(cluster, id, cancellationToken));
        }

        Assert.True(hosting >= 2, $"Tasks were placed on {hosting} silo(s), not spread over the cluster.");
        Assert.All(done, task =>
        {
            Assert.Equal(TaskState.Succeeded, task.Status);
            Assert.InRange(service.CallsFor(task.Id).Count, 1, task.Attempts.Count);
        });
        Assert.Contains(done, task => task.Attempts.Any(a => a.Outcome == AttemptOutcome.Interrupted));
        var store = cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress).GetRequiredService<IResultStore>();
        foreach (var task in done)
        {
            // The result a user downloads is the one the task recorded, not a stray attempt's.
            await using var stored = await store.OpenAsync(task.Id, cancellationToken);
            Assert.NotNull(stored);
            Assert.Equal(task.Result!.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored.Content, cancellationToken)));
        }

        Directory.Delete(results, recursive: true);
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(string connectionString, string results, Uri endpoint)
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TaskQueue:Storage:Provider"] = "PostgreSql",
                ["TaskQueue:Storage:PostgreSql:ConnectionString"] = connectionString,
                ["TaskQueue:Storage:PostgreSql:MaxPoolSize"] = "8",
                ["TaskQueue:Results:LocalFolder:Path"] = results,
                ["TaskQueue:Recovery:ReminderPeriod"] = "00:00:03",
                ["TaskQueue:TaskTypes:work:Endpoint"] = endpoint.ToString(),
                ["TaskQueue:TaskTypes:work:InitialBackoff"] = "00:00:00.200",
            });
            host.AddTaskQueueGrains();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task<int> SilosHostingTasksAsync(InProcessTestCluster cluster)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics
            .Where(s => s.GrainType.Contains(nameof(TaskQueue.Grains.Tasks.TaskGrain), StringComparison.Ordinal) && s.ActivationCount > 0)
            .Select(s => s.SiloAddress)
            .Distinct()
            .Count();
    }

    private static async Task<TaskView> WaitForFinalAsync(InProcessTestCluster cluster, Guid id, CancellationToken cancellationToken)
    {
        TaskView? last = null;
        await WaitAsync(
            async () => (last = await cluster.Client.GetGrain<ITaskGrain>(id).GetAsync("alice"))?.Status.IsFinal() == true,
            TimeSpan.FromSeconds(90),
            cancellationToken);
        return last!;
    }

    private static Task WaitAsync(Func<bool> done, TimeSpan deadline, CancellationToken cancellationToken) =>
        WaitAsync(() => Task.FromResult(done()), deadline, cancellationToken);

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        while (!await done())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using TaskQueue.SyftService.Tests.Support;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// The service process is killed (SIGKILL: no chance to stop its engine) while a scan runs. Its engine is then an
/// orphan that nobody will kill; it must still be gone by the scan's deadline, so that a crash-looping service
/// cannot pile up engines. A stand-in engine that hangs (with a child of its own) plays an engine stuck on a slow
/// registry, which the real Trivy cannot be made to do on demand.
/// </summary>
public sealed class OrphanedEngineTests
{
    private const string S = "TaskQueue__SyftService__";
    private static readonly TimeSpan ScanDeadline = TimeSpan.FromSeconds(4);

    /// <summary>What the operating system may take beyond the deadline: signal, exit, reaping.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ServiceKilledDuringAScan_EngineAndItsChild_AreGoneByTheScanDeadline()
    {
        using var deadline = Deadline.Seconds(90);
        await using var registry = await StubRegistry.StartAsync(
            context =>
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return Task.CompletedTask;
            },
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.Hang);
        await using var service = await ServiceProcess.StartAsync(
            new Dictionary<string, string?>
            {
                [S + "Engine"] = "Syft",
                [S + "SyftPath"] = engine.ExecutablePath,
                [S + "ScanDeadline"] = "00:00:04",
                [S + "Registry__InsecureRegistries__0"] = registry.Host,
            },
            deadline.Token);
        var scan = service.Client.PostAsJsonAsync(
            "/",
            new Dictionary<string, string> { ["docker_image_id"] = $"{registry.Host}/team/app:1" },
            deadline.Token);
        var (script, child) = await WaitForTheEngineAsync(engine, deadline.Token);
        var sinceStart = Stopwatch.StartNew();

        service.KillServiceOnly();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => scan);
        var gone = await WaitUntilGoneAsync([script, child], ScanDeadline + Slack, deadline.Token);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"The orphaned engine {(gone ? "was gone" : "still ran")} {sinceStart.Elapsed} after it started.");

        try
        {
            Assert.True(gone, $"The orphaned engine still ran {sinceStart.Elapsed} after it started; "
                + $"its deadline was {ScanDeadline}.");
        }
        finally
        {
            // Whatever the outcome, nothing of this test outlives it (our own processes, by id).
            KillIfRunning(script);
            KillIfRunning(child);
        }
    }

    private static async Task<(int Script, int Child)> WaitForTheEngineAsync(
        StandInEngine engine,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            if (engine.HasStarted && engine.ProcessIds() is (var script, { } child))
            {
                return (script, child);
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task<bool> WaitUntilGoneAsync(
        int[] processIds,
        TimeSpan within,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (processIds.Any(Processes.IsRunning))
        {
            if (watch.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    private static void KillIfRunning(int processId)
    {
        if (!Processes.IsRunning(processId))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // It ended between the check and the kill.
        }
    }
}

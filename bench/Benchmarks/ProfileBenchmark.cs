using System.Diagnostics;
using System.Globalization;
using TaskQueue.Bench.Profiling;
using TaskQueue.Bench.Reporting;
using TaskQueue.Bench.Systems;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.Bench.Benchmarks;

/// <summary>
/// Where a task's time goes. A silo hosted here runs N no-op tasks submitted through the task grain, with its
/// task store, reminder table, result store and dispatch client wrapped in timing decorators. Per stage it prints
/// calls per task and latency (p50, p99, and the mean time per task spent in it), plus CPU and allocations per task,
/// and optionally (<c>--perf-seconds</c>) a <c>perf</c> CPU profile of the process by binary and function and counts
/// of its system calls per task (fsyncs, file creations, renames, writes, futex wake-ups).
/// </summary>
internal sealed class ProfileBenchmark(Report report, BenchArguments arguments)
{
    private const string Name = "profile";
    private const string UserId = "bench-profile-user";
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromMinutes(10);

    private readonly IReadOnlyList<BackendKind> _backends = arguments.Backends("embedded,postgresql");
    private readonly int _tasks = arguments.Number("tasks", 5_000);
    private readonly int _callers = arguments.Number("clients", 32);
    private readonly int _maxAttempts = arguments.Number("max-attempts", 256);
    private readonly int _warmup = arguments.Number("warmup", 10_000);
    private readonly int _perfSeconds = int.Parse(arguments.Text("perf-seconds", "0"), NumberStyles.None, CultureInfo.InvariantCulture);
    private readonly string _noopScript = arguments.Text("noop-server", Defaults.NoopServer);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var noop = await NoopEndpoint.StartAsync(_noopScript, cancellationToken);
        foreach (var kind in _backends)
        {
            await RunOnAsync(kind, noop, cancellationToken);
        }
    }

    private async Task RunOnAsync(BackendKind kind, NoopEndpoint noop, CancellationToken cancellationToken)
    {
        await using var backend = await Backend.StartAsync(kind, cancellationToken);
        var times = new StageTimes();
        var settings = BenchSettings.Merge(
            backend.SiloSettings(),
            BenchSettings.Logging(),
            BenchSettings.Cluster("bench-" + Guid.NewGuid().ToString("N")[..8], FreePort.Next(), FreePort.Next()),
            BenchSettings.NoopTaskType(noop.TaskUrl, _maxAttempts));
        await using var silo = await InProcessSilo.StartAsync(
            settings, backend.Folder, cancellationToken, services => StageDecorators.Add(services, times));
        var setup = $"backend={backend.Name} tasks={_tasks} clients={_callers}";
        var served = await noop.CountAsync(cancellationToken);

        Report.Note($"{backend.Name}: warming up");
        await Submitter.SubmitAsync(silo.Grains, "bench-warmup", _warmup, _callers, cancellationToken);
        served += _warmup;
        await Submitter.WaitUntilFinishedAsync(silo.Grains, noop, "bench-warmup", served, DrainDeadline, cancellationToken);

        Report.Note($"{backend.Name}: {_tasks} tasks, every stage timed");
        times.Clear();
        var perf = _perfSeconds > 0 ? PerfRecording.Start(TimeSpan.FromSeconds(_perfSeconds), backend.Folder) : null;
        var syscalls = _perfSeconds > 0 ? SyscallCounts.Start() : null;
        var process = ProcessStats.Of("self");
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTime = System.Runtime.JitInfo.GetCompilationTime();
        var started = Stopwatch.GetTimestamp();
        var latencies = await Submitter.SubmitAsync(silo.Grains, UserId, _tasks, _callers, cancellationToken);
        served += _tasks;
        await Submitter.WaitUntilFinishedAsync(silo.Grains, noop, UserId, served, DrainDeadline, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cost = ProcessStats.Of("self") - process;
        var calls = syscalls is null ? new Dictionary<string, long>() : await syscalls.StopAsync();

        report.Add(Name, setup, "tasks_per_s_in_process", _tasks / seconds);
        report.Add(Name, setup, "cpu_ms_per_task", cost.CpuMilliseconds / _tasks);
        report.Add(Name, setup, "allocated_kib_per_task", (GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / _tasks);
        report.Add(Name, setup, "gen0_collections_per_1000_tasks", (GC.CollectionCount(0) - collections) * 1000.0 / _tasks);
        report.Add(Name, setup, "write_bytes_per_task", (double)cost.WriteBytes / _tasks);
        report.Add(Name, setup, "jit_methods_compiled", System.Runtime.JitInfo.GetCompiledMethodCount() - jitted);
        report.Add(Name, setup, "jit_ms", (System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds);
        report.Add(Name, setup, "submit_grain_call_p50_ms", Percentiles.Of(latencies, 50));
        report.Add(Name, setup, "submit_grain_call_p99_ms", Percentiles.Of(latencies, 99));
        foreach (var (stage, durations) in times.Stages.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var all = durations.ToArray();
            report.Add(Name, setup, stage + "_calls_per_task", (double)all.Length / _tasks);
            report.Add(Name, setup, stage + "_p50_ms", Percentiles.Of(all, 50));
            report.Add(Name, setup, stage + "_p99_ms", Percentiles.Of(all, 99));
            report.Add(Name, setup, stage + "_ms_per_task", all.Sum() / _tasks);
        }

        foreach (var (call, count) in calls.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            report.Add(Name, setup, "syscall_" + call + "_per_task", (double)count / _tasks);
        }

        if (perf is not null)
        {
            var (binaries, functions) = await perf.ReportAsync();
            foreach (var (binary, percent) in binaries)
            {
                report.Add(Name, setup, "cpu_percent_in_" + binary.Replace(' ', '_'), percent);
            }

            Report.Note($"{backend.Name}: top functions by CPU samples (perf, {_perfSeconds} s)\n{functions}");
        }
    }
}

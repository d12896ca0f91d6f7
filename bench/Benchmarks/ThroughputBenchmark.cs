using System.Diagnostics;
using System.Globalization;
using TaskQueue.Bench.Reporting;
using TaskQueue.Bench.Systems;

namespace TaskQueue.Bench.Benchmarks;

/// <summary>
/// End-to-end throughput over HTTP: N no-op tasks submitted to the real gateway process by C concurrent clients,
/// run by real silo processes against the shared no-op endpoint. Measured from the first submission to the last
/// task's <c>updated_at</c> as the listing shows it (the silos stamp it when they record success; no task is polled).
/// Alongside: CPU per task of every process involved, the store's writes and fsyncs per task, log lines per task,
/// and where a task's time goes (queue wait, attempt) on a sample read back after the run.
/// </summary>
internal sealed class ThroughputBenchmark(Report report, BenchArguments arguments)
{
    private const string Name = "throughput";
    private const int Sampled = 200;
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(10);

    private readonly IReadOnlyList<(BackendKind Backend, int Silos)> _configurations =
        Configurations(arguments.Text("configs", "embedded:1,postgresql:1,postgresql:3"));

    private readonly IReadOnlyList<int> _tasks = arguments.Numbers("tasks", [2_000, 10_000]);
    private readonly int _clients = arguments.Number("clients", 32);
    private readonly int _maxAttempts = arguments.Number("max-attempts", 256);
    private readonly int _warmup = arguments.Number("warmup", 500);
    private readonly string _logLevel = arguments.Text("log-level", "Warning");
    private readonly string _noopScript = arguments.Text("noop-server", Defaults.NoopServer);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var noop = await NoopEndpoint.StartAsync(_noopScript, cancellationToken);
        foreach (var (kind, silos) in _configurations)
        {
            await using var backend = await Backend.StartAsync(kind, cancellationToken);
            Report.Note($"starting {silos} silo(s) on {backend.Name} and a gateway");
            await using var system = await ProcessSystem.StartAsync(
                backend,
                silos,
                BenchSettings.Merge(BenchSettings.NoopTaskType(noop.TaskUrl, _maxAttempts), BenchSettings.Logging(_logLevel)),
                cancellationToken);
            using var client = new GatewayClient(system.Gateway, _clients);

            // Untimed: JIT compilation, connection pools, grain directory caches.
            await RunOnceAsync(backend, system, client, noop, _warmup, setup: null, cancellationToken);
            foreach (var tasks in _tasks)
            {
                var setup = string.Create(
                    CultureInfo.InvariantCulture,
                    $"backend={backend.Name} silos={silos} tasks={tasks} clients={_clients} log={_logLevel}");
                await RunOnceAsync(backend, system, client, noop, tasks, setup, cancellationToken);
            }
        }
    }

    private async Task RunOnceAsync(
        Backend backend,
        ProcessSystem system,
        GatewayClient client,
        NoopEndpoint noop,
        int tasks,
        string? setup,
        CancellationToken cancellationToken)
    {
        var userId = $"bench-{tasks}-{Guid.NewGuid():N}"[..24];
        Report.Note(setup is null ? $"warm-up, {tasks} tasks" : $"run: {setup}");
        var servedBefore = await noop.CountAsync(cancellationToken);
        var walBefore = await backend.WalCountersAsync(cancellationToken);
        var before = Snapshot(backend, system, noop);
        var linesBefore = system.LoggedLines;

        var first = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var latencies = await SubmitAsync(client, userId, tasks, cancellationToken);
        var submitSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await WaitUntilServedAsync(noop, servedBefore + tasks, system, cancellationToken);
        var rows = await WaitUntilFinalAsync(client, userId, tasks, cancellationToken);

        var after = Snapshot(backend, system, noop);
        var wal = await backend.WalCountersAsync(cancellationToken) - walBefore;
        var lines = system.LoggedLines - linesBefore;
        if (setup is null)
        {
            return;
        }

        var last = rows.Max(r => r.UpdatedAt);
        var totalSeconds = (last - first).TotalSeconds;
        var succeeded = rows.Count(r => r.Status == "succeeded");
        report.Add(Name, setup, "tasks_per_s", tasks / totalSeconds);
        report.Add(Name, setup, "total_s", totalSeconds);
        report.Add(Name, setup, "submit_per_s", tasks / submitSeconds);
        report.Add(Name, setup, "submit_p50_ms", Percentiles.Of(latencies, 50));
        report.Add(Name, setup, "submit_p99_ms", Percentiles.Of(latencies, 99));
        report.Add(Name, setup, "not_succeeded", tasks - succeeded);
        var cost = after - before;
        report.Add(Name, setup, "cpu_ms_per_task_silos", cost.Silos.CpuMilliseconds / tasks);
        report.Add(Name, setup, "cpu_ms_per_task_gateway", cost.Gateway.CpuMilliseconds / tasks);
        report.Add(Name, setup, "cpu_ms_per_task_noop_endpoint", cost.Noop.CpuMilliseconds / tasks);
        report.Add(Name, setup, "cpu_ms_per_task_bench_client", cost.Client.CpuMilliseconds / tasks);
        report.Add(Name, setup, "log_lines_per_task", (double)lines / tasks);
        if (backend.Kind == BackendKind.PostgreSql)
        {
            report.Add(Name, setup, "cpu_ms_per_task_postgres", cost.Database.CpuMilliseconds / tasks);
            report.Add(Name, setup, "commits_per_task", (double)wal.Commits / tasks);
            report.Add(Name, setup, "row_writes_per_task", (double)wal.RowWrites / tasks);
            report.Add(Name, setup, "wal_fsyncs_per_task", (double)wal.WalSyncs / tasks);
            report.Add(Name, setup, "wal_bytes_per_task", (double)wal.WalBytes / tasks);
        }
        else
        {
            report.Add(Name, setup, "silo_write_bytes_per_task", (double)cost.Silos.WriteBytes / tasks);
            report.Add(Name, setup, "silo_write_calls_per_task", (double)cost.Silos.WriteCalls / tasks);
        }

        await ReportBreakdownAsync(client, userId, rows, setup, cancellationToken);
    }

    private async Task<List<double>> SubmitAsync(GatewayClient client, string userId, int tasks, CancellationToken cancellationToken)
    {
        var next = 0;
        var perClient = await Task.WhenAll(Enumerable.Range(0, Math.Min(_clients, tasks)).Select(_ => Task.Run(
            async () =>
            {
                var latencies = new List<double>();
                while (Interlocked.Increment(ref next) <= tasks)
                {
                    latencies.Add(await client.SubmitAsync(userId, cancellationToken));
                }

                return latencies;
            },
            cancellationToken)));
        return [.. perClient.SelectMany(l => l)];
    }

    private static async Task WaitUntilServedAsync(
        NoopEndpoint noop,
        long served,
        ProcessSystem system,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunDeadline);
        try
        {
            while (await noop.CountAsync(timeout.Token) < served)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The no-op endpoint was not called {served} times within {RunDeadline}.{Environment.NewLine}{system.RecentOutput()}");
        }
    }

    /// <summary>Reads the user's whole listing until every task is final (the last writes land just after the call).</summary>
    private static async Task<List<TaskRow>> WaitUntilFinalAsync(
        GatewayClient client,
        string userId,
        int tasks,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(RunDeadline.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            foreach (var status in new[] { "queued", "running", "retrying" })
            {
                while ((await client.ListAsync(userId, status, 1, null, cancellationToken)).Rows.Count > 0)
                {
                    if (Stopwatch.GetTimestamp() > deadline)
                    {
                        throw new TimeoutException($"Tasks of {userId} were still {status} after {RunDeadline}.");
                    }

                    await Task.Delay(50, cancellationToken);
                }
            }

            var rows = await client.ListAllAsync(userId, cancellationToken);
            if (rows.Count == tasks)
            {
                return rows;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The listing of {userId} shows {rows.Count} tasks, not {tasks}.");
            }
        }
    }

    /// <summary>
    /// How long tasks waited for their attempt and how long the attempt took (from its recorded start, through the
    /// call and the result write, to its recorded end), on an even sample of the run's tasks read back one by one.
    /// </summary>
    private async Task ReportBreakdownAsync(
        GatewayClient client,
        string userId,
        List<TaskRow> rows,
        string setup,
        CancellationToken cancellationToken)
    {
        var queued = new List<double>();
        var attempt = new List<double>();
        var step = Math.Max(1, rows.Count / Sampled);
        for (var i = 0; i < rows.Count; i += step)
        {
            var task = await client.GetAsync(userId, rows[i].Id, cancellationToken);
            var attempts = task.GetProperty("attempts");
            if (attempts.GetArrayLength() == 0)
            {
                continue;
            }

            var firstAttempt = attempts[0];
            var lastAttempt = attempts[attempts.GetArrayLength() - 1];
            var startedAt = firstAttempt.GetProperty("started_at").GetDateTimeOffset();
            var endedAt = lastAttempt.GetProperty("ended_at").GetDateTimeOffset();
            queued.Add((startedAt - task.GetProperty("created_at").GetDateTimeOffset()).TotalMilliseconds);
            attempt.Add((endedAt - lastAttempt.GetProperty("started_at").GetDateTimeOffset()).TotalMilliseconds);
        }

        report.Add(Name, setup, "created_to_attempt_started_p50_ms", Percentiles.Of(queued, 50));
        report.Add(Name, setup, "attempt_started_to_ended_p50_ms", Percentiles.Of(attempt, 50));
        report.Add(Name, setup, "created_to_attempt_started_p99_ms", Percentiles.Of(queued, 99));
        report.Add(Name, setup, "attempt_started_to_ended_p99_ms", Percentiles.Of(attempt, 99));
    }

    private static Costs Snapshot(Backend backend, ProcessSystem system, NoopEndpoint noop)
    {
        var (silos, gateway) = system.Stats();
        return new Costs(
            silos,
            gateway,
            backend.ServerProcessId == 0 ? default : ProcessStats.OfTree(backend.ServerProcessId),
            ProcessStats.Of(noop.ProcessId.ToString(CultureInfo.InvariantCulture)),
            ProcessStats.Of("self"));
    }

    private static List<(BackendKind, int)> Configurations(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var pieces = part.Split(':');
            var kind = pieces[0].ToUpperInvariant() switch
            {
                "EMBEDDED" => BackendKind.Embedded,
                "POSTGRESQL" => BackendKind.PostgreSql,
                _ => throw new ArgumentException($"--configs takes backend:silos pairs (embedded:1,postgresql:3), not '{part}'."),
            };
            return pieces.Length == 2 && int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var silos)
                && silos >= 1 && (kind == BackendKind.PostgreSql || silos == 1)
                ? (kind, silos)
                : throw new ArgumentException($"--configs: '{part}' is not backend:silos (embedded runs one silo).");
        })];

    private readonly record struct Costs(
        ProcessStats Silos,
        ProcessStats Gateway,
        ProcessStats Database,
        ProcessStats Noop,
        ProcessStats Client)
    {
        public static Costs operator -(Costs after, Costs before) => new(
            after.Silos - before.Silos,
            after.Gateway - before.Gateway,
            after.Database - before.Database,
            after.Noop - before.Noop,
            after.Client - before.Client);
    }
}

using System.Diagnostics;
using TaskQueue.Bench.Reporting;
using TaskQueue.Bench.Systems;
using TaskQueue.Grains.Interfaces;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Benchmarks;

/// <summary>
/// Listing at scale (issue 3): one user's 100,000 tasks submitted through the real path (the task grain in a silo
/// hosted here, dispatching to the no-op endpoint), then
/// <list type="bullet">
/// <item>submission latency of the user's first and last 1,000 tasks, and bytes written per task in each window
/// (PostgreSQL: WAL bytes; embedded: this process's write_bytes, which includes the result files);</item>
/// <item>the newest page (20) over 1,000 requests, with and without a status filter, through the user's grain and
/// through <c>GET /tasks</c> on a real gateway process that is an Orleans client of this silo.</item>
/// </list>
/// Windows are submitted by fewer callers (8) than the fill (32), so that their latency shows what one submission
/// costs rather than how long callers queue behind each other; each window is submitted and then drained (every task finished) before its counters are read, so both windows
/// count the same work: submission, dispatch, result and final write of 1,000 tasks.
/// </summary>
internal sealed class ListingBenchmark(Report report, BenchArguments arguments)
{
    private const string Name = "listing";
    private const string UserId = "bench-listing-user";
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromMinutes(15);

    private readonly IReadOnlyList<BackendKind> _backends = arguments.Backends("embedded,postgresql");
    private readonly int _tasks = arguments.Number("tasks", 100_000);
    private readonly int _window = arguments.Number("window", 1_000);
    private readonly int _requests = arguments.Number("requests", 1_000);
    private readonly int _callers = arguments.Number("clients", 32);
    private readonly int _windowCallers = arguments.Number("window-clients", 8);
    private readonly int _maxAttempts = arguments.Number("max-attempts", 256);
    private readonly int _warmup = arguments.Number("warmup", 10_000);
    private readonly string _noopScript = arguments.Text("noop-server", Defaults.NoopServer);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_tasks < 2 * _window)
        {
            throw new ArgumentException($"--tasks ({_tasks}) must be at least twice --window ({_window}).");
        }

        await using var noop = await NoopEndpoint.StartAsync(_noopScript, cancellationToken);
        foreach (var kind in _backends)
        {
            await RunOnAsync(kind, noop, cancellationToken);
        }
    }

    private async Task RunOnAsync(BackendKind kind, NoopEndpoint noop, CancellationToken cancellationToken)
    {
        await using var backend = await Backend.StartAsync(kind, cancellationToken);
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayPort = FreePort.Next();
        var settings = BenchSettings.Merge(
            backend.SiloSettings(),
            BenchSettings.Logging(),
            BenchSettings.Cluster(clusterId, FreePort.Next(), gatewayPort),
            BenchSettings.NoopTaskType(noop.TaskUrl, _maxAttempts));
        await using var silo = await InProcessSilo.StartAsync(settings, backend.Folder, cancellationToken);
        await using var gateway = await StartGatewayAsync(settings, cancellationToken);
        await using var stopGateway = new GracefulStop(gateway);
        using var http = new GatewayClient(gateway.BaseAddress, 1);
        var setup = $"backend={backend.Name} tasks={_tasks}";
        var served = await noop.CountAsync(cancellationToken);

        // Untimed, another user: the first timed submissions must not pay for JIT compilation and cold pools.
        Report.Note($"{backend.Name}: warming up");
        await Submitter.SubmitAsync(silo.Grains, "bench-warmup", _warmup, _callers, cancellationToken);
        served += _warmup;
        await Submitter.WaitUntilFinishedAsync(silo.Grains, noop, "bench-warmup", served, DrainDeadline, cancellationToken);

        Report.Note($"{backend.Name}: the user's first {_window} tasks");
        served = await MeasureWindowAsync(backend, silo, noop, setup, "first", served, cancellationToken);

        var fill = _tasks - (2 * _window);
        Report.Note($"{backend.Name}: filling {fill} tasks");
        var started = Stopwatch.GetTimestamp();
        await Submitter.SubmitAsync(silo.Grains, UserId, fill, _callers, cancellationToken);
        served += fill;
        await Submitter.WaitUntilFinishedAsync(silo.Grains, noop, UserId, served, DrainDeadline, cancellationToken);
        report.Add(Name, setup, "fill_tasks_per_s_in_process", fill / Stopwatch.GetElapsedTime(started).TotalSeconds);

        Report.Note($"{backend.Name}: the user's last {_window} tasks");
        await MeasureWindowAsync(backend, silo, noop, setup, "last", served, cancellationToken);

        Report.Note($"{backend.Name}: newest page, {_requests} requests each way");
        var user = silo.Grains.GetGrain<IUserTasksGrain>(UserId);
        await TimeAsync(setup, "page_grain", () => user.ListAsync(new TaskListQuery { Limit = 20 }), cancellationToken);
        await TimeAsync(
            setup,
            "page_grain_status",
            () => user.ListAsync(new TaskListQuery { Limit = 20, Status = TaskState.Succeeded }),
            cancellationToken);
        await TimeAsync(setup, "page_http", () => http.TimeGetAsync(UserId, "/tasks?limit=20", cancellationToken), cancellationToken);
        await TimeAsync(
            setup,
            "page_http_status",
            () => http.TimeGetAsync(UserId, "/tasks?limit=20&status=succeeded", cancellationToken),
            cancellationToken);
    }

    /// <summary>Submits one window of the user's tasks, drains it, and reports its latency and bytes per task.</summary>
    private async Task<long> MeasureWindowAsync(
        Backend backend,
        InProcessSilo silo,
        NoopEndpoint noop,
        string setup,
        string which,
        long served,
        CancellationToken cancellationToken)
    {
        await backend.CheckpointAsync(cancellationToken);
        var walBefore = await backend.WalCountersAsync(cancellationToken);
        var lsnBefore = await backend.CurrentLsnAsync(cancellationToken);
        var processBefore = ProcessStats.Of("self");
        var fileBefore = backend.DatabaseFileBytes();

        var latencies = await Submitter.SubmitAsync(silo.Grains, UserId, _window, _windowCallers, cancellationToken);
        served += _window;
        await Submitter.WaitUntilFinishedAsync(silo.Grains, noop, UserId, served, DrainDeadline, cancellationToken);

        var wal = await backend.WalCountersAsync(cancellationToken) - walBefore;
        var process = ProcessStats.Of("self") - processBefore;
        report.Add(Name, setup, $"submit_{which}{_window}_p50_ms", Percentiles.Of(latencies, 50));
        report.Add(Name, setup, $"submit_{which}{_window}_p99_ms", Percentiles.Of(latencies, 99));
        report.Add(Name, setup, $"cpu_ms_per_task_{which}{_window}_silo", process.CpuMilliseconds / _window);
        if (backend.Kind == BackendKind.PostgreSql)
        {
            report.Add(Name, setup, $"wal_bytes_per_task_{which}{_window}", (double)wal.WalBytes / _window);
            report.Add(Name, setup, $"commits_per_task_{which}{_window}", (double)wal.Commits / _window);
            report.Add(Name, setup, $"wal_fsyncs_per_task_{which}{_window}", (double)wal.WalSyncs / _window);
            var lsnAfter = await backend.CurrentLsnAsync(cancellationToken);
            if (await backend.WalContentsAsync(lsnBefore!, lsnAfter!, cancellationToken) is { } contents)
            {
                report.Add(Name, setup, $"wal_record_bytes_per_task_{which}{_window}", (double)contents.RecordBytes / _window);
                report.Add(Name, setup, $"wal_full_page_bytes_per_task_{which}{_window}", (double)contents.FullPageBytes / _window);
                Report.Note($"WAL of the {which} {_window} tasks by resource manager (pg_waldump --stats):\n{contents.Table}");
            }
        }
        else
        {
            report.Add(Name, setup, $"write_bytes_per_task_{which}{_window}", (double)process.WriteBytes / _window);
            report.Add(Name, setup, $"db_file_growth_bytes_per_task_{which}{_window}", (double)(backend.DatabaseFileBytes() - fileBefore) / _window);
        }

        return served;
    }

    /// <summary>Times <see cref="_requests"/> calls one after another, after 50 untimed ones.</summary>
    private async Task TimeAsync<T>(string setup, string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(_requests);
        for (var i = 0; i < 50 + _requests; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            await call();
            if (i >= 50)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        report.Add(Name, setup, what + "_p50_ms", Percentiles.Of(latencies, 50));
        report.Add(Name, setup, what + "_p99_ms", Percentiles.Of(latencies, 99));
        report.Add(Name, setup, what + "_max_ms", latencies.Max());
    }

    private static async Task<ServiceProcess> StartGatewayAsync(
        Dictionary<string, string?> siloSettings,
        CancellationToken cancellationToken)
    {
        var settings = BenchSettings.Merge(siloSettings, new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
        settings.Remove("TaskQueue:Cluster:SiloPort");
        settings.Remove("TaskQueue:Cluster:AdvertisedAddress");
        var gateway = new ServiceProcess("Gateway", BenchSettings.AsEnvironment(settings), healthPath: "/readyz");
        try
        {
            await gateway.StartAsync(cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }
}

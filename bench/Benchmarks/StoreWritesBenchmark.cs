using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Bench.Reporting;
using TaskQueue.Bench.Systems;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.Bench.Benchmarks;

/// <summary>
/// Task record writes per second through <see cref="ITaskStore.WriteAsync"/>, with 1, 8, 64... concurrent
/// writers, on the store a real silo opened (hosted in this process). Each writer plays tasks' lives: create a
/// record, then update it twice (running, succeeded), each write naming the etag of the one before, as the task
/// grain does. Reminder writes are not included: they go through Orleans' reminder table, not this store.
/// </summary>
internal sealed class StoreWritesBenchmark(Report report, BenchArguments arguments)
{
    private const string Name = "store-writes";
    private readonly IReadOnlyList<BackendKind> _backends = arguments.Backends("embedded,postgresql");
    private readonly TimeSpan _duration = TimeSpan.FromSeconds(arguments.Number("seconds", 5));
    private readonly IReadOnlyList<int> _writers = arguments.Numbers("writers", [1, 8, 64]);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in _backends)
        {
            await using var backend = await Backend.StartAsync(kind, cancellationToken);
            var settings = BenchSettings.Merge(
                backend.SiloSettings(),
                BenchSettings.Logging(),
                BenchSettings.Cluster("bench-" + Guid.NewGuid().ToString("N")[..8], FreePort.Next(), FreePort.Next()),
                BenchSettings.NoopTaskType(new Uri("http://127.0.0.1:9/"), 1));
            await using var silo = await InProcessSilo.StartAsync(settings, backend.Folder, cancellationToken);
            var store = silo.Services.GetRequiredService<ITaskStore>();

            // Untimed: the first writes pay for JIT compilation and the pool's first connections.
            await MeasureAsync(store, 8, TimeSpan.FromSeconds(1), cancellationToken);
            foreach (var writers in _writers)
            {
                var setup = $"backend={backend.Name} writers={writers}";
                var walBefore = await backend.WalCountersAsync(cancellationToken);
                var processBefore = ProcessStats.Of("self");
                var latencies = await MeasureAsync(store, writers, _duration, cancellationToken);
                var process = ProcessStats.Of("self") - processBefore;
                var wal = await backend.WalCountersAsync(cancellationToken) - walBefore;

                var writes = latencies.Count;
                report.Add(Name, setup, "writes_per_s", writes / _duration.TotalSeconds);
                report.Add(Name, setup, "write_p50_ms", Percentiles.Of(latencies, 50));
                report.Add(Name, setup, "write_p99_ms", Percentiles.Of(latencies, 99));
                report.Add(Name, setup, "cpu_ms_per_write_bench_process", process.CpuMilliseconds / writes);
                if (kind == BackendKind.PostgreSql)
                {
                    report.Add(Name, setup, "commits_per_write", (double)wal.Commits / writes);
                    report.Add(Name, setup, "wal_fsyncs_per_write", (double)wal.WalSyncs / writes);
                    report.Add(Name, setup, "wal_bytes_per_write", (double)wal.WalBytes / writes);
                }
                else
                {
                    report.Add(Name, setup, "write_bytes_per_write", (double)process.WriteBytes / writes);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="writers"/> writers for <paramref name="duration"/>; answers each write's latency.</summary>
    private static async Task<List<double>> MeasureAsync(
        ITaskStore store,
        int writers,
        TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWriter = await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(
            async () =>
            {
                var latencies = new List<double>();
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await WriteOneTaskAsync(store, $"writer-{writer}", latencies, cancellationToken);
                }

                return latencies;
            },
            cancellationToken)));
        return [.. perWriter.SelectMany(l => l)];
    }

    private static async Task WriteOneTaskAsync(
        ITaskStore store,
        string userId,
        List<double> latencies,
        CancellationToken cancellationToken)
    {
        var now = Now();
        var record = new TaskRecord
        {
            Id = TaskIds.New(),
            UserId = userId,
            TaskType = BenchSettings.TaskType,
            Status = TaskState.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            NextAttemptAt = now,
            MaxAttempts = 3,
        };
        var etag = await TimedWriteAsync(store, record, null, latencies, cancellationToken);

        record.Attempts.Add(new AttemptRecord { Number = 1, StartedAt = Now() });
        record.Status = TaskState.Running;
        record.NextAttemptAt = null;
        record.UpdatedAt = Now();
        etag = await TimedWriteAsync(store, record, etag, latencies, cancellationToken);

        var attempt = record.Attempts[0];
        attempt.EndedAt = Now();
        attempt.Outcome = AttemptOutcome.Succeeded;
        attempt.StatusCode = 200;
        record.Status = TaskState.Succeeded;
        record.UpdatedAt = attempt.EndedAt.Value;
        record.Result = new TaskResultInfo { SizeBytes = 20, MediaType = "application/json", Sha256 = new string('a', 64) };
        await TimedWriteAsync(store, record, etag, latencies, cancellationToken);
    }

    private static async Task<string> TimedWriteAsync(
        ITaskStore store,
        TaskRecord record,
        string? etag,
        List<double> latencies,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var next = await store.WriteAsync(record, etag, cancellationToken);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return next;
    }

    private static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}

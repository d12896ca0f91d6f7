using System.Diagnostics;
using System.Globalization;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.Embedded;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.Silo.Tests.Storage.Embedded;
using TaskQueue.Silo.Tests.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>
/// What operators' index (<c>tasks_by_status</c>) costs writers: task record writes per second by 64 concurrent
/// writers, and bytes written per write, with the index and without it, on the embedded store and on PostgreSQL, in
/// alternating rounds on fresh stores that already hold 20,000 tasks. Bytes are what SQLite handed to the operating
/// system (this process's <c>wchar</c> in <c>/proc/self/io</c>: write-ahead log and checkpoints), and PostgreSQL's
/// write-ahead log (<c>pg_current_wal_lsn</c>): unlike the rate, they do not depend on how busy the machine is.
/// Explicit, because it takes minutes and its figures are for reading (docs/architecture.md quotes them); it still
/// checks that every write under load kept its etag. Run it with
/// <c>dotnet test test/Silo.Tests --filter FullyQualifiedName~StatusIndexWriteCostTests --logger
/// "console;verbosity=detailed" -- xUnit.Explicit=only</c>.
/// </summary>
public sealed class StatusIndexWriteCostTests(PostgreSqlDatabaseFixture fixture)
    : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const int Writers = 64;
    private const int WritesPerWriter = 100;
    private const int Preloaded = 20_000;
    private const int Rounds = 5;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public async Task Embedded_SixtyFourWriters_WritesPerSecondWithAndWithoutTheStatusIndex()
    {
        await CompareAsync("embedded", ProcessWrittenBytesAsync, async withIndex =>
        {
            var file = new TemporaryDatabase();
            var database = await file.OpenAsync(Cancellation);
            if (!withIndex)
            {
                await database.WriteAsync(c => c.Command("DROP INDEX tasks_by_status").ExecuteNonQuery(), Cancellation);
            }

            return (new EmbeddedTaskStore(database), async () =>
            {
                await database.DisposeAsync();
                file.Dispose();
            });
        });
    }

    [Fact(Explicit = true)]
    public async Task PostgreSql_SixtyFourWriters_WritesPerSecondWithAndWithoutTheStatusIndex()
    {
        await CompareAsync("PostgreSQL", WriteAheadLogPositionAsync, async withIndex =>
        {
            var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            var database = await PostgreSqlBackend.StartedAsync(fixture.ConnectionString, Cancellation, schema);
            if (!withIndex)
            {
                await fixture.Server.ExecuteAsync(
                    $"DROP INDEX \"{schema}\".tasks_by_status", fixture.DatabaseName, Cancellation);
            }

            return (new PostgreSqlTaskStore(database), async () =>
            {
                await database.DisposeAsync();
                await fixture.Server.ExecuteAsync(
                    $"DROP SCHEMA \"{schema}\" CASCADE", fixture.DatabaseName, Cancellation);
            });
        });
    }

    private static async Task CompareAsync(
        string backend,
        Func<Task<long>> bytesWritten,
        Func<bool, Task<(ITaskStore Store, Func<Task> Dispose)>> open)
    {
        var rates = new Dictionary<(bool WithIndex, string Workload), List<double>>();
        var bytes = new Dictionary<(bool WithIndex, string Workload), List<double>>();
        for (var round = 0; round < Rounds; round++)
        {
            // Alternating which goes first spreads the machine's drift over both.
            foreach (var withIndex in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var (store, dispose) = await open(withIndex);
                try
                {
                    await WriteAsync(store, Preloaded / Writers, updates: 0);
                    foreach (var (workload, creates, updates) in Workloads)
                    {
                        var before = await bytesWritten();
                        Add(rates, (withIndex, workload), await WriteAsync(store, creates, updates));
                        var perWrite = (await bytesWritten() - before) / (double)(Writers * WritesPerWriter);
                        Add(bytes, (withIndex, workload), perWrite);
                    }
                }
                finally
                {
                    await dispose();
                }
            }
        }

        var output = TestContext.Current.TestOutputHelper;
        foreach (var (workload, _, _) in Workloads)
        {
            output?.WriteLine(Compare($"{backend}, {Writers} writers, {workload}", "writes/s", rates, workload));
            output?.WriteLine(Compare($"{backend}, {Writers} writers, {workload}", "bytes/write", bytes, workload));
        }
    }

    /// <summary>Creating tasks; changing a task's status again and again, each change moving its index entry.</summary>
    private static IEnumerable<(string Name, int Creates, int Updates)> Workloads =>
        [("creates", WritesPerWriter, 0), ("status changes", 1, WritesPerWriter - 1)];

    private static string Compare(
        string what,
        string unit,
        Dictionary<(bool, string), List<double>> figures,
        string workload)
    {
        var without = figures[(false, workload)];
        var with = figures[(true, workload)];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: without tasks_by_status {Format(without)} {unit} (median {Median(without):F0}); with it "
            + $"{Format(with)} (median {Median(with):F0}); "
            + $"change of the medians {(Median(with) / Median(without) - 1) * 100:+0;-0} %");
    }

    /// <summary>Bytes this process has handed to write system calls so far.</summary>
    private static async Task<long> ProcessWrittenBytesAsync()
    {
        var io = await File.ReadAllLinesAsync("/proc/self/io", Cancellation);
        var written = io.Single(line => line.StartsWith("wchar:", StringComparison.Ordinal));
        return long.Parse(written["wchar:".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>The server's write-ahead log position in bytes: what every write so far has logged.</summary>
    private async Task<long> WriteAheadLogPositionAsync()
    {
        var rows = await fixture.Server.QueryAsync(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint", fixture.DatabaseName, Cancellation);
        return long.Parse(rows.Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <see cref="Writers"/> writers at once, each creating <paramref name="creates"/> tasks one after another, or
    /// creating one and changing its status <paramref name="updates"/> times with the etag of its last write (every
    /// change moves its entry in a status index). Answers writes per second.
    /// </summary>
    private static async Task<double> WriteAsync(ITaskStore store, int creates, int updates)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(
            async () =>
            {
                var user = TaskRecords.NewUserId();
                for (var i = 0; i < creates; i++)
                {
                    var record = TaskRecords.New(user, DateTimeOffset.UtcNow);
                    var etag = await store.WriteAsync(record, null, Cancellation);
                    for (var u = 1; u <= updates; u++)
                    {
                        record.Status = (TaskState)(u % 6);
                        etag = await store.WriteAsync(record, etag, Cancellation);
                    }

                    if (updates > 0)
                    {
                        Assert.Equal(etag, (await store.ReadAsync(record.Id, Cancellation))?.ETag);
                    }
                }
            },
            Cancellation))).WaitAsync(Cancellation);
        return Writers * creates * (1 + updates) / clock.Elapsed.TotalSeconds;
    }

    private static void Add(Dictionary<(bool, string), List<double>> rates, (bool, string) key, double rate)
    {
        if (!rates.TryGetValue(key, out var list))
        {
            rates[key] = list = [];
        }

        list.Add(rate);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Format(List<double> values) =>
        string.Join(" / ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));
}

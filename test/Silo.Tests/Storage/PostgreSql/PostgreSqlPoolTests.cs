using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>
/// The connection pool's bound under load, counted by the server itself (pg_stat_activity); and the rate that load
/// reaches, printed for the record.
/// </summary>
public sealed class PostgreSqlPoolTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const int Writers = 64;
    private const int WritesPerWriter = 40;

    [Fact]
    public async Task Store_SixtyFourConcurrentWorkers_NeverMoreConnectionsThanThePoolBound()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var cancellation = timeout.Token;

        // The application name marks this pool's sessions among everyone else's on the shared server.
        var applicationName = "pool-test-" + Guid.NewGuid().ToString("N")[..8];
        var options = PostgreSqlBackend.Options($"{fixture.ConnectionString};Application Name={applicationName}");
        await using var database = PostgreSqlBackend.Database(options);
        await database.StartAsync(cancellation);
        var store = new PostgreSqlTaskStore(database);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var peak = SamplePeakConnectionsAsync(applicationName, sampling.Token);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(
            async () =>
            {
                // What a task grain and its user do: create the record, then rewrite it with the etag of the last
                // write, reading it and listing the user's tasks in between. Writes share batches (two connections
                // at most); reads and listings each take a connection of their own, so they fill the pool.
                var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
                var etag = await store.WriteAsync(record, null, cancellation);
                for (var i = 1; i < WritesPerWriter; i++)
                {
                    record.Status = (TaskState)(i % 3);
                    etag = await store.WriteAsync(record, etag, cancellation);
                    Assert.Equal(etag, (await store.ReadAsync(record.Id, cancellation))?.ETag);
                    Assert.Single((await store.ListByUserAsync(record.UserId, new TaskListQuery(), cancellation)).Items);
                }
            },
            cancellation))).WaitAsync(cancellation);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        var (maximum, samples) = await peak;

        var writes = Writers * WritesPerWriter;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{writes} writes (and as many reads and listings) by {Writers} concurrent workers in "
            + $"{elapsed.TotalMilliseconds:F0} ms: {writes / elapsed.TotalSeconds:F0} writes/s; at most {maximum} "
            + $"connections in {samples} samples (pool bound {options.MaxPoolSize})"));
        Assert.InRange(maximum, 3, options.MaxPoolSize);
        Assert.True(samples >= 3, $"Only {samples} samples of pg_stat_activity were taken.");
    }

    /// <summary>Counts this pool's sessions every few milliseconds until cancelled; answers the most seen.</summary>
    private async Task<(int Maximum, int Samples)> SamplePeakConnectionsAsync(
        string applicationName,
        CancellationToken cancellationToken)
    {
        // A connection of its own, outside the pool under test.
        await using var connection = new NpgsqlConnection(fixture.ConnectionString + ";Pooling=false");
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", connection);
        count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        var maximum = 0;
        var samples = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var seen = (long)(await count.ExecuteScalarAsync(CancellationToken.None))!;
            maximum = Math.Max(maximum, (int)seen);
            samples++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (maximum, samples);
    }
}

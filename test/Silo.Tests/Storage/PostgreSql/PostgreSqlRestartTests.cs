using Microsoft.Extensions.Logging.Abstractions;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>
/// What was acknowledged survives the server stopping in order and being killed, and a running silo's pool carries on
/// without failing its callers. These tests run a server of their own: restarting the shared one would disturb every
/// other test class.
/// </summary>
public sealed class PostgreSqlRestartTests(PrivatePostgreSqlServerFixture fixture)
    : IClassFixture<PrivatePostgreSqlServerFixture>, IDisposable
{
    private readonly CancellationTokenSource _timeout = Timeout();

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Store_ServerRestarted_AcknowledgedWritesSurviveAndThePoolCarriesOn(bool killed)
    {
        var server = fixture.Server;
        var connectionString = server.ConnectionString(await server.CreateDatabaseAsync(Cancellation));
        await using var database = await PostgreSqlBackend.StartedAsync(connectionString, Cancellation);
        var store = new PostgreSqlTaskStore(database);
        var reminders = new PostgreSqlReminderTable(database, PostgreSqlBackend.Cluster());
        var membership = new PostgreSqlMembershipTable(
            database, PostgreSqlBackend.Cluster(), NullLogger<PostgreSqlMembershipTable>.Instance);
        var user = TaskRecords.NewUserId();
        var written = new Dictionary<Guid, string>();
        var grain = GrainId.Create("restart-test", Guid.NewGuid().ToString("N"));

        // Several connections in the pool, all of which the restart leaves dead.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WriteTaskAsync(store, user, written)));
        await Task.WhenAll(
            Enumerable.Range(0, 8).Select(_ => store.ListByUserAsync(user, new TaskListQuery(), Cancellation)));
        var reminderETag = await reminders.UpsertRow(
            new ReminderEntry { GrainId = grain, ReminderName = "wake-up", Period = TimeSpan.FromMinutes(1) },
            Cancellation);
        var membershipVersion = (await membership.ReadAllAsync(Cancellation)).Version;
        if (killed)
        {
            await server.KillAsync();
        }

        await server.RestartAsync(Cancellation);

        // The running pool meets its dead connections and carries on: no caller sees an error.
        Assert.Equal(8, (await store.ListByUserAsync(user, new TaskListQuery(), Cancellation)).Items.Count);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WriteTaskAsync(store, user, written)));
        Assert.Equal(reminderETag, (await reminders.ReadRow(grain, "wake-up", Cancellation))?.ETag);
        Assert.Equal(membershipVersion, (await membership.ReadAllAsync(Cancellation)).Version);

        await using var reopened = await PostgreSqlBackend.StartedAsync(connectionString, Cancellation);
        var fresh = new PostgreSqlTaskStore(reopened);
        foreach (var (taskId, etag) in written)
        {
            Assert.Equal(etag, (await fresh.ReadAsync(taskId, Cancellation))?.ETag);
        }
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        return timeout;
    }

    /// <summary>Creates a task and updates it once; remembers the etag the store acknowledged.</summary>
    private async Task WriteTaskAsync(PostgreSqlTaskStore store, string user, Dictionary<Guid, string> written)
    {
        var record = TaskRecords.New(user, TaskRecords.BaseTime);
        var etag = await store.WriteAsync(record, null, Cancellation);
        record.Status = TaskState.Running;
        var acknowledged = await store.WriteAsync(record, etag, Cancellation);
        lock (written)
        {
            written[record.Id] = acknowledged;
        }
    }
}

using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>The reminder table contract against a real PostgreSQL server, one database for the class.</summary>
public sealed class PostgreSqlReminderTableTests(PostgreSqlDatabaseFixture fixture)
    : ReminderTableContract, IClassFixture<PostgreSqlDatabaseFixture>
{
    private PostgreSqlDatabase? _database;

    [Fact]
    public async Task ReadRows_AnotherServiceInTheSameSchema_NeverSeesTheseReminders()
    {
        var entry = Entry(NewGrain(), "wake-up");
        await Table.UpsertRow(entry, Cancellation);
        var other = new PostgreSqlReminderTable(_database!, PostgreSqlBackend.Cluster(serviceId: "another-service"));

        Assert.Null(await other.ReadRow(entry.GrainId, entry.ReminderName, Cancellation));
        Assert.Empty((await other.ReadRows(0, 0, Cancellation)).Reminders);
        await other.TestOnlyClearTable(Cancellation);
        Assert.NotNull(await Table.ReadRow(entry.GrainId, entry.ReminderName, Cancellation));
    }

    protected override async ValueTask<IReminderTable> CreateTableAsync(CancellationToken cancellationToken)
    {
        _database = PostgreSqlBackend.Database(PostgreSqlBackend.Options(fixture.ConnectionString));
        var table = new PostgreSqlReminderTable(_database, PostgreSqlBackend.Cluster(serviceId: "reminder-tests"));

        // Started the way Orleans' reminder service starts it: this applies the schema.
        await table.StartAsync(cancellationToken);
        return table;
    }

    protected override async ValueTask DisposeTableAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

using Orleans.Configuration;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The reminder table contract against the MongoDB server of <c>TASKQUEUE_MONGODB_CONNECTION_STRING</c>, each test
/// under a service id of its own; skipped, saying so, where no server is given.
/// </summary>
public sealed class MongoDbReminderTableTests(MongoDbTestDatabase server)
    : ReminderTableContract, IClassFixture<MongoDbTestDatabase>
{
    private MongoDbDatabase? _database;

    protected override async ValueTask<IReminderTable> CreateTableAsync(CancellationToken cancellationToken)
    {
        _database = new MongoDbDatabase(
            Microsoft.Extensions.Options.Options.Create(server.Options()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MongoDbDatabase>.Instance);
        var cluster = Microsoft.Extensions.Options.Options.Create(
            new ClusterOptions { ClusterId = "test", ServiceId = "reminders-" + Guid.NewGuid().ToString("N") });
        var table = new MongoDbReminderTable(_database, cluster);

        // Started the way Orleans' reminder service starts it: this connects and creates the indexes.
        await table.StartAsync(cancellationToken);
        return table;
    }

    protected override ValueTask DisposeTableAsync()
    {
        _database?.Dispose();
        return ValueTask.CompletedTask;
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The task store contract against the MongoDB server of <c>TASKQUEUE_MONGODB_CONNECTION_STRING</c>, in a database
/// of this class's own; skipped, saying so, where no server is given.
/// </summary>
public sealed class MongoDbTaskStoreTests(MongoDbTestDatabase server)
    : TaskStoreContract, IClassFixture<MongoDbTestDatabase>
{
    private MongoDbDatabase? _database;

    protected override async ValueTask<ITaskStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _database = await server.OpenAsync(cancellationToken);
        return new MongoDbTaskStore(_database, NullLogger<MongoDbTaskStore>.Instance);
    }

    protected override ValueTask DisposeStoreAsync()
    {
        _database?.Dispose();
        return ValueTask.CompletedTask;
    }
}

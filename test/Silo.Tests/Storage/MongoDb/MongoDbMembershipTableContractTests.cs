using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>The shared membership contract against MongoDB; skipped without TASKQUEUE_MONGODB_CONNECTION_STRING.</summary>
public sealed class MongoDbMembershipTableContractTests(MongoDbTestDatabase server)
    : MembershipTableContract, IClassFixture<MongoDbTestDatabase>
{
    private readonly MongoDbClusterTables _tables = new(server);

    protected override async ValueTask<IMembershipTable> CreateTableAsync(string clusterId, CancellationToken cancellationToken) =>
        await _tables.CreateTableAsync(clusterId, cancellationToken);

    protected override ValueTask DisposeTablesAsync()
    {
        _tables.Dispose();
        return ValueTask.CompletedTask;
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TaskQueue.Silo.Storage.MongoDb;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>Membership tables and gateway lists of given clusters on one test database, disposed together.</summary>
internal sealed class MongoDbClusterTables(MongoDbTestDatabase server) : IDisposable
{
    private readonly List<MongoDbDatabase> _databases = [];

    public async Task<MongoDbMembershipTable> CreateTableAsync(string clusterId, CancellationToken cancellationToken)
    {
        var table = new MongoDbMembershipTable(
            Open(), Cluster(clusterId), NullLogger<MongoDbMembershipTable>.Instance);

        // As a silo does when it starts.
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, cancellationToken);
        return table;
    }

    public async Task<MongoDbGatewayListProvider> CreateGatewayListAsync(
        string clusterId,
        CancellationToken cancellationToken)
    {
        var gateways = new MongoDbGatewayListProvider(
            Open(),
            Cluster(clusterId),
            Options.Create(new GatewayOptions { GatewayListRefreshPeriod = TimeSpan.FromSeconds(7) }),
            NullLogger<MongoDbGatewayListProvider>.Instance);

        // As an Orleans client does when it connects.
        await gateways.InitializeGatewayListProviderAsync(cancellationToken);
        return gateways;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }

    private MongoDbDatabase Open()
    {
        // One client per table, as each silo process has its own.
        var database = new MongoDbDatabase(Options.Create(server.Options()), NullLogger<MongoDbDatabase>.Instance);
        _databases.Add(database);
        return database;
    }

    private static IOptions<ClusterOptions> Cluster(string clusterId) =>
        Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "taskqueue-tests" });
}

using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>The membership table contract, and the gateway list read from it, against a real PostgreSQL server.</summary>
public sealed class PostgreSqlMembershipTableTests(PostgreSqlDatabaseFixture fixture)
    : MembershipTableContract, IClassFixture<PostgreSqlDatabaseFixture>
{
    private readonly List<PostgreSqlDatabase> _databases = [];

    [Fact]
    public async Task GetGateways_MixedSilos_ListsActiveSilosWithAGatewayPortOfThisClusterOnly()
    {
        var active = NewEntry(SiloStatus.Active);
        var noGateway = NewEntry(SiloStatus.Active);
        noGateway.ProxyPort = 0;
        var otherCluster = await CreateTableAsync(NewClusterId(), Cancellation);
        foreach (var entry in new[] { active, noGateway, NewEntry(SiloStatus.Joining), NewEntry(SiloStatus.Dead) })
        {
            var version = (await Table.ReadAllAsync(Cancellation)).Version;
            Assert.True(await Table.InsertRowAsync(entry, version.Next(), Cancellation));
        }

        Assert.True(await otherCluster.InsertRowAsync(
            NewEntry(SiloStatus.Active), (await otherCluster.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        var provider = new PostgreSqlGatewayListProvider(
            Database(),
            PostgreSqlBackend.Cluster(clusterId: ClusterId),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions()),
            NullLogger<PostgreSqlGatewayListProvider>.Instance);

        await provider.InitializeGatewayListProviderAsync(Cancellation);
        var gateways = await provider.GetGatewaysAsync(Cancellation);

        Assert.Equal([active.SiloAddress.ToGatewayUri()], gateways);
    }

    protected override async ValueTask<IMembershipTable> CreateTableAsync(
        string clusterId,
        CancellationToken cancellationToken)
    {
        var table = new PostgreSqlMembershipTable(
            Database(),
            PostgreSqlBackend.Cluster(clusterId: clusterId),
            NullLogger<PostgreSqlMembershipTable>.Instance);

        // As a silo does: this applies the schema and creates the cluster's version row.
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, cancellationToken);
        return table;
    }

    protected override async ValueTask DisposeTablesAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    private PostgreSqlDatabase Database()
    {
        var database = PostgreSqlBackend.Database(PostgreSqlBackend.Options(fixture.ConnectionString));
        _databases.Add(database);
        return database;
    }
}

using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The membership table and gateway list against the MongoDB server of <c>TASKQUEUE_MONGODB_CONNECTION_STRING</c>;
/// skipped, saying so, where no server is given. Each test has clusters of its own.
/// </summary>
/// <remarks>
/// TODO: the shared membership contract (test/Silo.Tests/Storage/MembershipTableContract.cs) is being written with
/// the PostgreSQL backend; once it is on main this class derives from it and keeps only the MongoDB-specific tests.
/// </remarks>
public sealed class MongoDbMembershipTableTests : IClassFixture<MongoDbTestDatabase>, IDisposable
{
    private static int _lastGeneration = Environment.TickCount & 0x0FFFFFFF;
    private static readonly DateTime Now = WholeMilliseconds(DateTime.UtcNow);
    private readonly MongoDbTestDatabase _server;
    private readonly MongoDbClusterTables _tables;
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N");

    public MongoDbMembershipTableTests(MongoDbTestDatabase server)
    {
        _server = server;
        _tables = new MongoDbClusterTables(server);
        _timeout.CancelAfter(TimeSpan.FromMinutes(2));
    }

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose()
    {
        _tables.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task InitializeMembershipTable_ManySilosAtOnce_OneDocumentAtVersionZero()
    {
        var tables = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(_ => _tables.CreateTableAsync(_clusterId, Cancellation)));

        var views = await Task.WhenAll(tables.Select(table => table.ReadAllAsync(Cancellation)));

        Assert.All(views, view => Assert.Equal(views[0].Version, view.Version));
        Assert.Equal(0, views[0].Version.Version);
        Assert.NotNull(await StoredDocumentAsync());
    }

    [Fact]
    public async Task InsertAndUpdate_Silo_OneReadableDocumentPerCluster()
    {
        var table = await _tables.CreateTableAsync(_clusterId, Cancellation);
        var entry = Entry(SiloStatus.Joining);
        await InsertAsync(table, entry);
        var read = await table.ReadAllAsync(Cancellation);
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(entry, read.Members[0].Item2, read.Version.Next(), Cancellation));

        var stored = await StoredDocumentAsync();

        Assert.NotNull(stored);
        Assert.Equal(2, stored["version"].AsInt32);
        var member = Assert.Single(stored["members"].AsBsonArray).AsBsonDocument;
        Assert.Equal(entry.SiloAddress.ToParsableString(), member["silo"].AsString);
        Assert.Equal("Active", member["status"].AsString);
        Assert.Equal(Now, member["i_am_alive"].ToUniversalTime());
    }

    [Fact]
    public async Task UpdateRow_EntryReadBeforeAHeartbeat_DoesNotSetTheHeartbeatBack()
    {
        var table = await _tables.CreateTableAsync(_clusterId, Cancellation);
        var entry = Entry(SiloStatus.Active);
        await InsertAsync(table, entry);
        var read = await table.ReadAllAsync(Cancellation);
        var (stale, etag) = read.Members[0];

        await table.UpdateIAmAliveAsync(
            new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = Now.AddSeconds(30) }, Cancellation);
        stale.AddSuspector(Address(), Now.AddSeconds(1));
        Assert.True(await table.UpdateRowAsync(stale, etag, read.Version.Next(), Cancellation));

        var (stored, _) = (await table.ReadRowAsync(entry.SiloAddress, Cancellation)).Members.Single();
        Assert.Equal(Now.AddSeconds(30), stored.IAmAliveTime);
        Assert.Single(stored.SuspectTimes!);
    }

    [Fact]
    public async Task InsertRow_ManyInsertersHoldingOneVersion_ExactlyOneWins()
    {
        var tables = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => _tables.CreateTableAsync(_clusterId, Cancellation)));
        var version = (await tables[0].ReadAllAsync(Cancellation)).Version.Next();
        var entries = Enumerable.Range(0, 20).Select(_ => Entry(SiloStatus.Joining)).ToList();

        var results = await Task.WhenAll(entries.Select((entry, i) => Task.Run(
            () => tables[i % tables.Length].InsertRowAsync(entry, version, Cancellation), Cancellation)));

        Assert.Single(results, inserted => inserted);
        var after = await tables[0].ReadAllAsync(Cancellation);
        Assert.Equal(1, after.Version.Version);
        var winner = entries[Array.IndexOf(results, true)];
        Assert.Equal(winner.SiloAddress, Assert.Single(after.Members).Item1.SiloAddress);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_ThenRead_ClusterStartsAgainAtVersionZero()
    {
        var table = await _tables.CreateTableAsync(_clusterId, Cancellation);
        await InsertAsync(table, Entry(SiloStatus.Active));

        await table.DeleteMembershipTableEntriesAsync(_clusterId, Cancellation);
        var after = await table.ReadAllAsync(Cancellation);

        Assert.Empty(after.Members);
        Assert.Equal(0, after.Version.Version);
        Assert.True(await table.InsertRowAsync(Entry(SiloStatus.Joining), after.Version.Next(), Cancellation));
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_OldDeadAndOthers_RemovesOnlyOldDead()
    {
        var table = await _tables.CreateTableAsync(_clusterId, Cancellation);
        var old = Now.AddDays(-10);
        var oldDead = Entry(SiloStatus.Dead, old);
        var recentlyDeclaredDead = Entry(SiloStatus.Dead, old);
        recentlyDeclaredDead.SuspectTimes = [Tuple.Create(Address(), Now)];
        var kept = new[]
        {
            recentlyDeclaredDead, Entry(SiloStatus.Joining, old), Entry(SiloStatus.Active, old), Entry(SiloStatus.Dead),
        };
        foreach (var entry in kept.Prepend(oldDead))
        {
            await InsertAsync(table, entry);
        }

        await table.CleanupDefunctSiloEntriesAsync(Now.AddDays(-1), Cancellation);

        var after = await table.ReadAllAsync(Cancellation);
        Assert.Equal(
            kept.Select(e => e.SiloAddress.ToParsableString()).Order(),
            after.Members.Select(m => m.Item1.SiloAddress.ToParsableString()).Order());
        Assert.Equal(5, after.Version.Version);
    }

    [Fact]
    public async Task GetGateways_SilosOfTwoClusters_ActiveOnesWithAGatewayPortOfThisClusterOnly()
    {
        var table = await _tables.CreateTableAsync(_clusterId, Cancellation);
        var other = await _tables.CreateTableAsync("cluster-" + Guid.NewGuid().ToString("N"), Cancellation);
        var gateway = Entry(SiloStatus.Active);
        var noGateway = Entry(SiloStatus.Active);
        noGateway.ProxyPort = 0;
        foreach (var entry in new[] { gateway, noGateway, Entry(SiloStatus.Joining), Entry(SiloStatus.Dead) })
        {
            await InsertAsync(table, entry);
        }

        await InsertAsync(other, Entry(SiloStatus.Active));
        var gateways = await _tables.CreateGatewayListAsync(_clusterId, Cancellation);

        var found = await gateways.GetGatewaysAsync(Cancellation);

        var expected = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 30000), gateway.SiloAddress.Generation);
        Assert.Equal([expected.ToGatewayUri()], found);
        Assert.Equal(TimeSpan.FromSeconds(7), gateways.MaxStaleness);
        Assert.True(gateways.IsUpdatable);
        var nobody = await _tables.CreateGatewayListAsync("no-such-cluster", Cancellation);
        Assert.Empty(await nobody.GetGatewaysAsync(Cancellation));
    }

    /// <summary>The cluster's document as the shell shows it, read with a client of its own.</summary>
    private async Task<BsonDocument?> StoredDocumentAsync()
    {
        using var client = new MongoClient(_server.Options().ConnectionString);
        return await client.GetDatabase(_server.DatabaseName)
            .GetCollection<BsonDocument>("membership")
            .Find(new BsonDocument("_id", _clusterId))
            .SingleOrDefaultAsync(Cancellation);
    }

    private async Task InsertAsync(IMembershipTable table, MembershipEntry entry)
    {
        var version = (await table.ReadAllAsync(Cancellation)).Version;
        Assert.True(await table.InsertRowAsync(entry, version.Next(), Cancellation), $"Inserting {entry} failed.");
    }

    private static SiloAddress Address() =>
        SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), Interlocked.Increment(ref _lastGeneration));

    private static MembershipEntry Entry(SiloStatus status, DateTime? start = null) => new()
    {
        SiloAddress = Address(),
        Status = status,
        ProxyPort = 30000,
        HostName = "host",
        SiloName = "silo",
        StartTime = start ?? Now,
        IAmAliveTime = start ?? Now,
    };

    private static DateTime WholeMilliseconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}

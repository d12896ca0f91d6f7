using System.Net;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>
/// What every Orleans <see cref="IMembershipTable"/> backend of ours promises, following Orleans 10.4.2's own tables:
/// inserts and updates succeed only against the current table version's etag (and, for updates, the row's etag),
/// change the row and the version together or not at all, and exactly one of several writers holding the same
/// version wins; heartbeats touch only the heartbeat time; cleanup removes old dead silos only; clusters are
/// isolated. A backend's suite derives from this class and makes tables for given cluster ids. Cluster ids are
/// random, so a backend may share one server between tests. Times are whole milliseconds, the finest every backend
/// keeps.
/// </summary>
public abstract class MembershipTableContract : IAsyncLifetime
{
    private static int _lastGeneration = Environment.TickCount & 0x0FFFFFFF;
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly string _clusterId = NewClusterId();
    private IMembershipTable? _table;

    protected MembershipTableContract() => _timeout.CancelAfter(TimeSpan.FromMinutes(2));

    /// <summary>Bounds every await of a test.</summary>
    protected CancellationToken Cancellation => _timeout.Token;

    /// <summary>The table of this test's cluster.</summary>
    protected IMembershipTable Table =>
        _table ?? throw new InvalidOperationException("The table is made in InitializeAsync.");

    protected string ClusterId => _clusterId;

    /// <summary>A whole-millisecond UTC "now", so that every backend stores it exactly.</summary>
    protected static DateTime Now { get; } = WholeMilliseconds(DateTime.UtcNow);

    public async ValueTask InitializeAsync() => _table = await CreateTableAsync(_clusterId, Cancellation);

    public async ValueTask DisposeAsync()
    {
        await DisposeTablesAsync();
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ReadAll_NewCluster_NoSilosAtVersionZero()
    {
        var data = await Table.ReadAllAsync(Cancellation);

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));
    }

    [Fact]
    public async Task InsertRow_NextVersion_StoresEntryAndMovesTheVersion()
    {
        var before = await Table.ReadAllAsync(Cancellation);
        var entry = NewEntry(SiloStatus.Joining);

        Assert.True(await Table.InsertRowAsync(entry, before.Version.Next(), Cancellation));

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(1, after.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        var (stored, etag) = Assert.Single(after.Members);
        AssertSameEntry(entry, stored);
        Assert.False(string.IsNullOrEmpty(etag));
        var row = await Table.ReadRowAsync(entry.SiloAddress, Cancellation);
        Assert.Equal(after.Version, row.Version);
        Assert.Equal(etag, Assert.Single(row.Members).Item2);
    }

    [Fact]
    public async Task InsertRow_EntryWithEveryField_ReadsBackExactly()
    {
        var entry = NewEntry(SiloStatus.Active);
        entry.RoleName = "silo-role";
        entry.UpdateZone = 3;
        entry.FaultZone = 7;
        entry.StartTime = Now.AddMinutes(-5);
        entry.IAmAliveTime = Now.AddSeconds(-2);
        entry.SuspectTimes = [Tuple.Create(NewAddress(), Now.AddSeconds(-1)), Tuple.Create(NewAddress(), Now)];

        Assert.True(await InsertIntoAsync(Table, entry));

        var (stored, _) = Assert.Single((await Table.ReadRowAsync(entry.SiloAddress, Cancellation)).Members);
        AssertSameEntry(entry, stored);
    }

    [Fact]
    public async Task InsertRow_StaleTableVersion_FailsWithoutSideEffects()
    {
        var start = (await Table.ReadAllAsync(Cancellation)).Version;
        var first = NewEntry(SiloStatus.Joining);
        Assert.True(await Table.InsertRowAsync(first, start.Next(), Cancellation));
        var current = await Table.ReadAllAsync(Cancellation);

        Assert.False(await Table.InsertRowAsync(NewEntry(SiloStatus.Joining), start.Next(), Cancellation));

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(first.SiloAddress, Assert.Single(after.Members).Item1.SiloAddress);
    }

    [Fact]
    public async Task InsertRow_SiloAlreadyInTable_FailsWithoutSideEffects()
    {
        var entry = NewEntry(SiloStatus.Joining);
        Assert.True(await InsertIntoAsync(Table, entry));
        var current = await Table.ReadAllAsync(Cancellation);
        var again = NewEntry(SiloStatus.Active, entry.SiloAddress);

        Assert.False(await Table.InsertRowAsync(again, current.Version.Next(), Cancellation));

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Joining, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_CurrentETags_ReplacesEntryAndMovesBothETags()
    {
        var entry = await InsertAsync(SiloStatus.Joining);
        var before = await Table.ReadAllAsync(Cancellation);
        var rowETag = Assert.Single(before.Members).Item2;
        var updated = NewEntry(SiloStatus.Active, entry.SiloAddress);
        updated.SuspectTimes = [Tuple.Create(NewAddress(), Now)];

        Assert.True(await Table.UpdateRowAsync(updated, rowETag, before.Version.Next(), Cancellation));

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        var (stored, newRowETag) = Assert.Single(after.Members);
        AssertSameEntry(updated, stored);
        Assert.NotEqual(rowETag, newRowETag);

        // The etags it replaced are spent.
        Assert.False(await Table.UpdateRowAsync(updated, rowETag, after.Version.Next(), Cancellation));
    }

    [Fact]
    public async Task UpdateRow_StaleTableVersion_FailsWithoutSideEffects()
    {
        var entry = await InsertAsync(SiloStatus.Joining);
        var stale = await Table.ReadAllAsync(Cancellation);
        await InsertAsync(SiloStatus.Joining);
        var current = await Table.ReadAllAsync(Cancellation);
        var rowETag = current.TryGet(entry.SiloAddress)!.Item2;

        Assert.False(await Table.UpdateRowAsync(
            NewEntry(SiloStatus.Dead, entry.SiloAddress), rowETag, stale.Version.Next(), Cancellation));

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Joining, after.TryGet(entry.SiloAddress)!.Item1.Status);
        Assert.Equal(rowETag, after.TryGet(entry.SiloAddress)!.Item2);
    }

    [Fact]
    public async Task UpdateRow_StaleRowETag_FailsWithoutSideEffects()
    {
        var entry = await InsertAsync(SiloStatus.Joining);
        var first = await Table.ReadAllAsync(Cancellation);
        var staleRowETag = Assert.Single(first.Members).Item2;
        Assert.True(await Table.UpdateRowAsync(
            NewEntry(SiloStatus.Active, entry.SiloAddress), staleRowETag, first.Version.Next(), Cancellation));
        var current = await Table.ReadAllAsync(Cancellation);

        Assert.False(await Table.UpdateRowAsync(
            NewEntry(SiloStatus.Dead, entry.SiloAddress), staleRowETag, current.Version.Next(), Cancellation));
        Assert.False(await Table.UpdateRowAsync(
            NewEntry(SiloStatus.Dead, entry.SiloAddress), "not an etag", current.Version.Next(), Cancellation));

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_SiloNotInTable_Fails()
    {
        await InsertAsync(SiloStatus.Active);
        var current = await Table.ReadAllAsync(Cancellation);
        var rowETag = Assert.Single(current.Members).Item2;

        Assert.False(await Table.UpdateRowAsync(
            NewEntry(SiloStatus.Active), rowETag, current.Version.Next(), Cancellation));

        Assert.Equal(current.Version, (await Table.ReadAllAsync(Cancellation)).Version);
    }

    [Fact]
    public async Task InsertRow_ManyInsertersHoldingOneVersion_ExactlyOneWins()
    {
        var version = (await Table.ReadAllAsync(Cancellation)).Version.Next();
        var entries = Enumerable.Range(0, 20).Select(_ => NewEntry(SiloStatus.Joining)).ToList();

        var results = await Task.WhenAll(entries.Select(
            entry => Task.Run(() => Table.InsertRowAsync(entry, version, Cancellation), Cancellation)))
            .WaitAsync(Cancellation);

        Assert.Single(results, inserted => inserted);
        var winner = entries[Array.IndexOf(results, true)];
        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(1, after.Version.Version);
        Assert.Equal(winner.SiloAddress, Assert.Single(after.Members).Item1.SiloAddress);
    }

    [Fact]
    public async Task UpdateRow_ManyWritersRetryingOnConflict_EveryChangeCountedOnce()
    {
        var entry = await InsertAsync(SiloStatus.Active);
        const int Writers = 12;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(
            async () =>
            {
                // What Orleans does: read, try, and on a lost race read again.
                while (true)
                {
                    var data = await Table.ReadAllAsync(Cancellation);
                    var (current, etag) = data.TryGet(entry.SiloAddress)!;
                    current.AddSuspector(NewAddress(), Now.AddMilliseconds(writer));
                    if (await Table.UpdateRowAsync(current, etag, data.Version.Next(), Cancellation))
                    {
                        return;
                    }
                }
            },
            Cancellation))).WaitAsync(Cancellation);

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(1 + Writers, after.Version.Version);
        Assert.Equal(Writers, Assert.Single(after.Members).Item1.SuspectTimes!.Count);
    }

    [Fact]
    public async Task UpdateIAmAlive_Heartbeat_ChangesOnlyTheHeartbeatTime()
    {
        var entry = await InsertAsync(SiloStatus.Active);
        var before = await Table.ReadAllAsync(Cancellation);
        var rowETag = Assert.Single(before.Members).Item2;
        var beat = Now.AddSeconds(30);

        // Orleans sends a bare entry: the address and the time, nothing else.
        await Table.UpdateIAmAliveAsync(
            new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = beat }, Cancellation);

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(before.Version, after.Version);
        var (stored, etagAfter) = Assert.Single(after.Members);
        Assert.Equal(beat, stored.IAmAliveTime);
        entry.IAmAliveTime = beat;
        AssertSameEntry(entry, stored);

        // A heartbeat never spoils what a writer read before it.
        Assert.Equal(rowETag, etagAfter);
        Assert.True(await Table.UpdateRowAsync(
            NewEntry(SiloStatus.ShuttingDown, entry.SiloAddress), rowETag, before.Version.Next(), Cancellation));
    }

    [Fact]
    public async Task UpdateIAmAlive_SiloNotInTable_ChangesNothing()
    {
        await InsertAsync(SiloStatus.Active);
        var before = await Table.ReadAllAsync(Cancellation);

        await Table.UpdateIAmAliveAsync(
            new MembershipEntry { SiloAddress = NewAddress(), IAmAliveTime = Now }, Cancellation);

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Equal(before.Version, after.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task ReadRow_SiloNotInTable_NoMembersButTheTableVersion()
    {
        await InsertAsync(SiloStatus.Active);
        var all = await Table.ReadAllAsync(Cancellation);

        var row = await Table.ReadRowAsync(NewAddress(), Cancellation);

        Assert.Empty(row.Members);
        Assert.Equal(all.Version, row.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_OldAndRecent_RemovesOnlyDeadSilosLastUpdatedBefore()
    {
        var old = Now.AddDays(-10);
        var oldDead = await InsertAsync(SiloStatus.Dead, old);
        var recentDead = await InsertAsync(SiloStatus.Dead, Now);
        var deadWithRecentVote = NewEntry(SiloStatus.Dead, start: old);
        deadWithRecentVote.SuspectTimes = [Tuple.Create(NewAddress(), Now)];
        await InsertAsync(deadWithRecentVote);
        var deadWithRecentHeartbeat = NewEntry(SiloStatus.Dead, start: old);
        deadWithRecentHeartbeat.IAmAliveTime = Now;
        await InsertAsync(deadWithRecentHeartbeat);
        var survivors = new List<MembershipEntry> { recentDead, deadWithRecentVote, deadWithRecentHeartbeat };
        SiloStatus[] living =
            [SiloStatus.Created, SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Stopping];
        foreach (var status in living)
        {
            survivors.Add(await InsertAsync(status, old));
        }

        var before = await Table.ReadAllAsync(Cancellation);

        await Table.CleanupDefunctSiloEntriesAsync(Now.AddDays(-1), Cancellation);

        var after = await Table.ReadAllAsync(Cancellation);
        Assert.Null(after.TryGet(oldDead.SiloAddress));
        Assert.Equal(
            survivors.Select(s => s.SiloAddress.ToParsableString()).Order(),
            after.Members.Select(m => m.Item1.SiloAddress.ToParsableString()).Order());
        Assert.Equal(before.Version.Version, after.Version.Version);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_OneCluster_RemovesItsSilosAndVersionOnly()
    {
        var otherId = NewClusterId();
        var other = await CreateTableAsync(otherId, Cancellation);
        await InsertAsync(SiloStatus.Active);
        await InsertAsync(SiloStatus.Dead);
        var kept = NewEntry(SiloStatus.Active);
        Assert.True(await InsertIntoAsync(other, kept));

        await Table.DeleteMembershipTableEntriesAsync(ClusterId, Cancellation);

        var deleted = await Table.ReadAllAsync(Cancellation);
        Assert.Empty(deleted.Members);
        Assert.Equal(0, deleted.Version.Version);
        var untouched = await other.ReadAllAsync(Cancellation);
        Assert.Equal(1, untouched.Version.Version);
        Assert.Equal(kept.SiloAddress, Assert.Single(untouched.Members).Item1.SiloAddress);

        // The cluster starts again from its first version.
        Assert.True(await Table.InsertRowAsync(NewEntry(SiloStatus.Joining), deleted.Version.Next(), Cancellation));
    }

    [Fact]
    public async Task InsertRow_SameSiloInTwoClusters_EachClusterSeesOnlyItsOwn()
    {
        var other = await CreateTableAsync(NewClusterId(), Cancellation);
        var mine = await InsertAsync(SiloStatus.Active);
        await InsertAsync(SiloStatus.Joining);
        var theirs = NewEntry(SiloStatus.Dead, mine.SiloAddress);

        Assert.True(await InsertIntoAsync(other, theirs));

        var myView = await Table.ReadAllAsync(Cancellation);
        var theirView = await other.ReadAllAsync(Cancellation);
        Assert.Equal(2, myView.Version.Version);
        Assert.Equal(1, theirView.Version.Version);
        Assert.Equal(2, myView.Members.Count);
        Assert.Equal(SiloStatus.Active, myView.TryGet(mine.SiloAddress)!.Item1.Status);
        Assert.Equal(SiloStatus.Dead, Assert.Single(theirView.Members).Item1.Status);
        var theirRow = await other.ReadRowAsync(mine.SiloAddress, Cancellation);
        Assert.Equal(SiloStatus.Dead, Assert.Single(theirRow.Members).Item1.Status);
    }

    /// <summary>A started, initialized table of the backend under test for <paramref name="clusterId"/>.</summary>
    protected abstract ValueTask<IMembershipTable> CreateTableAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>Releases every table <see cref="CreateTableAsync"/> made.</summary>
    protected abstract ValueTask DisposeTablesAsync();

    protected static string NewClusterId() => "cluster-" + Guid.NewGuid().ToString("N");

    /// <summary>A silo address no other test uses: loopback, a random port, a fresh generation.</summary>
    protected static SiloAddress NewAddress() =>
        SiloAddress.New(
            new IPEndPoint(IPAddress.Loopback, Random.Shared.Next(1024, 65535)),
            Interlocked.Increment(ref _lastGeneration));

    protected static MembershipEntry NewEntry(SiloStatus status, SiloAddress? address = null, DateTime? start = null)
    {
        var silo = address ?? NewAddress();
        return new MembershipEntry
        {
            SiloAddress = silo,
            Status = status,
            ProxyPort = silo.Endpoint.Port,
            HostName = "host-" + silo.Generation,
            SiloName = "silo-" + silo.Generation,
            StartTime = start ?? Now,
            IAmAliveTime = start ?? Now,
        };
    }

    protected static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.RoleName, actual.RoleName);
        Assert.Equal(expected.UpdateZone, actual.UpdateZone);
        Assert.Equal(expected.FaultZone, actual.FaultZone);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(
            (expected.SuspectTimes ?? []).Select(v => (v.Item1, v.Item2)),
            (actual.SuspectTimes ?? []).Select(v => (v.Item1, v.Item2)));
        Assert.Equal(expected.ToFullString(), actual.ToFullString());
    }

    private static DateTime WholeMilliseconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>Inserts <paramref name="entry"/> into <paramref name="table"/> at its next version.</summary>
    private async Task<bool> InsertIntoAsync(IMembershipTable table, MembershipEntry entry)
    {
        var version = (await table.ReadAllAsync(Cancellation)).Version;
        return await table.InsertRowAsync(entry, version.Next(), Cancellation);
    }

    private async Task<MembershipEntry> InsertAsync(SiloStatus status, DateTime? start = null) =>
        await InsertAsync(NewEntry(status, start: start));

    private async Task<MembershipEntry> InsertAsync(MembershipEntry entry)
    {
        var version = (await Table.ReadAllAsync(Cancellation)).Version;
        Assert.True(await Table.InsertRowAsync(entry, version.Next(), Cancellation), $"Inserting {entry} failed.");
        return entry;
    }
}

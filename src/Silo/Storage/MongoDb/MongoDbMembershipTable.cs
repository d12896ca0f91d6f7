using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Orleans.Configuration;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Orleans' membership table for this cluster (the cluster id of Orleans' <see cref="ClusterOptions"/>): one
/// document per cluster in the <c>membership</c> collection, changed only by single-document conditional updates.
/// See <see cref="MembershipDocument"/> for the layout and why it needs no transaction.
/// </summary>
internal sealed class MongoDbMembershipTable(
    MongoDbDatabase database,
    IOptions<ClusterOptions> clusterOptions,
    ILogger<MongoDbMembershipTable> logger) : IMembershipTable
{
    // What ReadAll answers for a cluster without a document: version 0, and an etag no write can match.
    private const string NoDocumentETag = "none";
    private readonly string _clusterId = clusterOptions.Value.ClusterId;

    public Task InitializeMembershipTable(bool tryInitTableVersion) =>
        InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        await database.EnsureReachableAsync(cancellationToken);
        if (!tryInitTableVersion)
        {
            return;
        }

        try
        {
            await database.Membership.InsertOneAsync(
                MembershipDocument.NewCluster(_clusterId, ObjectId.GenerateNewId()),
                options: null,
                cancellationToken);
            MongoDbStorageLog.MembershipDocumentCreated(logger, _clusterId);
        }
        catch (MongoWriteException exists) when (exists.WriteError?.Category is ServerErrorCategory.DuplicateKey)
        {
            // Another silo created it first, or this cluster ran before: either way the table is there.
        }
    }

    public Task DeleteMembershipTableEntries(string clusterId) =>
        DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        await database.Membership.DeleteOneAsync(new BsonDocument("_id", clusterId), cancellationToken);
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        var result = await database.Membership.UpdateOneAsync(
            new BsonDocument("_id", _clusterId),
            MembershipDocument.RemoveDefunct(beforeDate),
            options: null,
            cancellationToken);
        if (result.ModifiedCount > 0)
        {
            MongoDbStorageLog.DefunctEntriesRemoved(logger, _clusterId, beforeDate);
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var cluster = await ReadDocumentAsync(cancellationToken);
        return cluster is null ? Missing() : MembershipDocument.ReadTable(cluster, key);
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        var cluster = await ReadDocumentAsync(cancellationToken);
        return cluster is null ? Missing() : MembershipDocument.ReadTable(cluster);
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public async Task<bool> InsertRowAsync(
        MembershipEntry entry,
        TableVersion tableVersion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        if (!MongoDbETag.TryParse(tableVersion.VersionEtag, out var expectedTableETag))
        {
            return Lost("insert", entry);
        }

        var (filter, update) = MembershipDocument.Insert(
            _clusterId, entry, tableVersion, expectedTableETag, ObjectId.GenerateNewId(), ObjectId.GenerateNewId());
        var result = await database.Membership.UpdateOneAsync(filter, update, options: null, cancellationToken);
        return result.MatchedCount == 1 || Lost("insert", entry);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public async Task<bool> UpdateRowAsync(
        MembershipEntry entry,
        string etag,
        TableVersion tableVersion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        if (!MongoDbETag.TryParse(etag, out var expectedRowETag)
            || !MongoDbETag.TryParse(tableVersion.VersionEtag, out var expectedTableETag))
        {
            return Lost("update", entry);
        }

        var (filter, update) = MembershipDocument.Update(
            _clusterId,
            entry,
            expectedRowETag,
            tableVersion,
            expectedTableETag,
            ObjectId.GenerateNewId(),
            ObjectId.GenerateNewId());
        var result = await database.Membership.UpdateOneAsync(filter, update, options: null, cancellationToken);
        return result.MatchedCount == 1 || Lost("update", entry);
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (filter, update) = MembershipDocument.IAmAliveUpdate(
            _clusterId, entry.SiloAddress, entry.IAmAliveTime, ObjectId.GenerateNewId());
        await database.Membership.UpdateOneAsync(filter, update, options: null, cancellationToken);
    }

    private Task<BsonDocument?> ReadDocumentAsync(CancellationToken cancellationToken) =>
        database.Membership
            .Find(new BsonDocument("_id", _clusterId))
            .FirstOrDefaultAsync(cancellationToken)!;

    private MembershipTableData Missing()
    {
        MongoDbStorageLog.MembershipDocumentMissing(logger, _clusterId);
        return new MembershipTableData(new TableVersion(0, NoDocumentETag));
    }

    private bool Lost(string operation, MembershipEntry entry)
    {
        MongoDbStorageLog.MembershipWriteLost(logger, operation, entry.SiloAddress, _clusterId);
        return false;
    }
}

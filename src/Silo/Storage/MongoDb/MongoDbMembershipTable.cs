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

        await CreateDocumentAsync(cancellationToken);
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
        return MembershipDocument.ReadTable(await ReadOrCreateDocumentAsync(cancellationToken), key);
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        return MembershipDocument.ReadTable(await ReadOrCreateDocumentAsync(cancellationToken));
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
        var (filter, update) = MembershipDocument.IAmAliveUpdate(_clusterId, entry.SiloAddress, entry.IAmAliveTime);
        await database.Membership.UpdateOneAsync(filter, update, options: null, cancellationToken);
    }

    /// <summary>
    /// The cluster's document, created at version 0 when there is none: after
    /// <see cref="DeleteMembershipTableEntriesAsync"/> a cluster starts again from its first version, as Orleans' own
    /// tables let it, instead of refusing every insert until a silo restarts.
    /// </summary>
    private async Task<BsonDocument> ReadOrCreateDocumentAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var cluster = await database.Membership
                .Find(new BsonDocument("_id", _clusterId))
                .FirstOrDefaultAsync(cancellationToken);
            if (cluster is not null)
            {
                return cluster;
            }

            // A delete racing with this read could remove the document again; twice in a row is not a race.
            if (attempt == 2)
            {
                throw new InvalidOperationException(
                    $"The membership document of cluster '{_clusterId}' in MongoDB database '{database.DatabaseName}' "
                    + "disappears as soon as it is created: something keeps deleting it.");
            }

            await CreateDocumentAsync(cancellationToken);
        }
    }

    /// <summary>Creates the cluster's document at version 0 unless it exists.</summary>
    private async Task CreateDocumentAsync(CancellationToken cancellationToken)
    {
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

    private bool Lost(string operation, MembershipEntry entry)
    {
        MongoDbStorageLog.MembershipWriteLost(logger, operation, entry.SiloAddress, _clusterId);
        return false;
    }
}

using MongoDB.Driver.Core.Clusters;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// The MongoDB backend's log events, ids 3300-3399. Servers are logged as host:port, never with credentials; nothing
/// per write is logged above Debug.
/// </summary>
internal static partial class MongoDbStorageLog
{
    [LoggerMessage(
        EventId = 3300,
        Level = LogLevel.Information,
        Message = "Connected to MongoDB at {Servers} ({ClusterType}); TaskQueue's data is in database {Database}")]
    public static partial void Connected(ILogger logger, string servers, string database, ClusterType clusterType);

    [LoggerMessage(
        EventId = 3301,
        Level = LogLevel.Information,
        Message = "Ensured the indexes {IndexNames} on {Database}.{Collection}")]
    public static partial void IndexesEnsured(ILogger logger, string indexNames, string collection, string database);

    [LoggerMessage(
        EventId = 3302,
        Level = LogLevel.Warning,
        Message = "Index creation is off for MongoDB database {Database}: listings and reminder reads scan whole "
            + "collections unless an administrator created the indexes in docs/storage-mongodb.md")]
    public static partial void IndexCreationOff(ILogger logger, string database);

    [LoggerMessage(
        EventId = 3303,
        Level = LogLevel.Error,
        Message = "MongoDB at {Servers} did not answer within {ServerSelectionTimeout}")]
    public static partial void Unreachable(ILogger logger, string servers, TimeSpan serverSelectionTimeout);

    [LoggerMessage(
        EventId = 3304,
        Level = LogLevel.Error,
        Message = "MongoDB at {Servers} refused the configured credentials")]
    public static partial void Refused(ILogger logger, string servers);

    [LoggerMessage(
        EventId = 3310,
        Level = LogLevel.Debug,
        Message = "A write of task {TaskId} lost to another writer (expected etag {ETag})")]
    public static partial void TaskWriteConflict(ILogger logger, Guid taskId, string eTag);

    [LoggerMessage(
        EventId = 3320,
        Level = LogLevel.Information,
        Message = "Created the membership document of cluster {ClusterId}")]
    public static partial void MembershipDocumentCreated(ILogger logger, string clusterId);

    [LoggerMessage(
        EventId = 3321,
        Level = LogLevel.Debug,
        Message = "Membership {Operation} of silo {SiloAddress} in cluster {ClusterId} did not apply: the table "
            + "version or the row's etag moved on")]
    public static partial void MembershipWriteLost(
        ILogger logger,
        string operation,
        SiloAddress siloAddress,
        string clusterId);

    [LoggerMessage(
        EventId = 3323,
        Level = LogLevel.Information,
        Message = "Removed the defunct silo entries of cluster {ClusterId} with no sign of life since {BeforeDate}")]
    public static partial void DefunctEntriesRemoved(ILogger logger, string clusterId, DateTimeOffset beforeDate);

    [LoggerMessage(
        EventId = 3330,
        Level = LogLevel.Debug,
        Message = "Found {Count} gateways of cluster {ClusterId}")]
    public static partial void GatewaysFound(ILogger logger, int count, string clusterId);
}

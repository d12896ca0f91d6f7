namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>The PostgreSQL backend's log events, ids 3200-3299. Nothing per write is logged above Debug.</summary>
internal static partial class PostgreSqlStorageLog
{
    [LoggerMessage(
        EventId = 3200,
        Level = LogLevel.Information,
        Message = "Using {Database} with TaskQueue schema {Schema} at version {SchemaVersion}; this process opens at "
            + "most {MaxPoolSize} connections to it")]
    public static partial void Ready(
        ILogger logger,
        string database,
        string schema,
        int schemaVersion,
        int maxPoolSize);

    [LoggerMessage(
        EventId = 3201,
        Level = LogLevel.Information,
        Message = "Applied schema version {SchemaVersion} to the PostgreSQL schema {Schema}")]
    public static partial void SchemaApplied(ILogger logger, int schemaVersion, string schema);

    [LoggerMessage(
        EventId = 3202,
        Level = LogLevel.Information,
        Message = "The PostgreSQL schema {Schema} needs migrations; waiting for the schema lock (another process may "
            + "be applying them)")]
    public static partial void WaitingForSchemaLock(ILogger logger, string schema);

    [LoggerMessage(
        EventId = 3203,
        Level = LogLevel.Critical,
        Message = "PostgreSQL storage cannot start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(
        EventId = 3210,
        Level = LogLevel.Debug,
        Message = "Membership table of cluster {ClusterId}: {Operation} of silo {SiloAddress} lost a race (table "
            + "version or row etag moved on)")]
    public static partial void MembershipConflict(
        ILogger logger,
        string clusterId,
        string operation,
        SiloAddress siloAddress);

    [LoggerMessage(
        EventId = 3211,
        Level = LogLevel.Information,
        Message = "Removed {SiloCount} dead silo entries of cluster {ClusterId} last updated before {BeforeDate:O}")]
    public static partial void DefunctSilosRemoved(
        ILogger logger,
        int siloCount,
        string clusterId,
        DateTimeOffset beforeDate);

    [LoggerMessage(
        EventId = 3212,
        Level = LogLevel.Warning,
        Message = "Deleted the whole membership table of cluster {ClusterId} ({SiloCount} silo entries)")]
    public static partial void MembershipDeleted(ILogger logger, string clusterId, int siloCount);

    [LoggerMessage(
        EventId = 3213,
        Level = LogLevel.Warning,
        Message = "A heartbeat of silo {SiloAddress} in cluster {ClusterId} found no membership row to update")]
    public static partial void HeartbeatWithoutRow(ILogger logger, SiloAddress siloAddress, string clusterId);

    [LoggerMessage(
        EventId = 3220,
        Level = LogLevel.Debug,
        Message = "Found {GatewayCount} active gateways of cluster {ClusterId} in the membership table")]
    public static partial void GatewaysFound(ILogger logger, int gatewayCount, string clusterId);

    [LoggerMessage(
        EventId = 3230,
        Level = LogLevel.Warning,
        Message = "A batch of {BatchSize} writes failed and was rolled back; each write is tried again alone so that "
            + "only the failing one fails")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int batchSize);

    [LoggerMessage(
        EventId = 3231,
        Level = LogLevel.Debug,
        Message = "Committed a batch of {BatchSize} writes in {ElapsedMilliseconds:F2} ms")]
    public static partial void BatchSent(ILogger logger, int batchSize, double elapsedMilliseconds);
}

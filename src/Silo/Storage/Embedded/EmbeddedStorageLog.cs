namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>The embedded store's log events, ids 3000-3099. Nothing per write is logged above Debug.</summary>
internal static partial class EmbeddedStorageLog
{
    [LoggerMessage(
        EventId = 3000,
        Level = LogLevel.Information,
        Message = "Opened the task database {DatabasePath} at schema version {SchemaVersion}")]
    public static partial void Opened(ILogger logger, string databasePath, int schemaVersion);

    [LoggerMessage(
        EventId = 3001,
        Level = LogLevel.Information,
        Message = "Applied schema version {SchemaVersion} to the task database {DatabasePath}")]
    public static partial void SchemaApplied(ILogger logger, int schemaVersion, string databasePath);

    [LoggerMessage(
        EventId = 3002,
        Level = LogLevel.Error,
        Message = "Committing a batch of {BatchSize} writes to {DatabasePath} failed; none of them is stored and "
            + "each caller was given the error")]
    public static partial void BatchCommitFailed(
        ILogger logger,
        Exception exception,
        int batchSize,
        string databasePath);

    [LoggerMessage(
        EventId = 3003,
        Level = LogLevel.Error,
        Message = "A write to {DatabasePath} failed and was left out of its batch; its caller was given the error")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string databasePath);

    [LoggerMessage(
        EventId = 3004,
        Level = LogLevel.Debug,
        Message = "Committed {BatchSize} writes ({ConflictCount} conflicts) in {ElapsedMilliseconds:F2} ms")]
    public static partial void BatchCommitted(
        ILogger logger,
        int batchSize,
        int conflictCount,
        double elapsedMilliseconds);

    [LoggerMessage(
        EventId = 3005,
        Level = LogLevel.Information,
        Message = "Closed the task database {DatabasePath}; every write queued before closing was committed")]
    public static partial void Closed(ILogger logger, string databasePath);

    [LoggerMessage(
        EventId = 3006,
        Level = LogLevel.Critical,
        Message = "The writer of the task database {DatabasePath} stopped unexpectedly; no write can be stored "
            + "until the silo restarts")]
    public static partial void WriterCrashed(ILogger logger, Exception exception, string databasePath);
}

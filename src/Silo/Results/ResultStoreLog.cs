using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

/// <summary>The result stores' log messages: event ids 3100-3199.</summary>
internal static partial class ResultStoreLog
{
    /// <summary>Says why a put kept nothing: too large and cancelled are told apart from real failures.</summary>
    public static void PutFailed(
        this ILogger logger,
        Guid taskId,
        Exception exception,
        CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ResultTooLargeException tooLarge:
                logger.ResultTooLarge(taskId, tooLarge.MaxBytes);
                break;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                logger.ResultWriteCancelled(taskId);
                break;
            default:
                logger.ResultWriteFailed(taskId, exception);
                break;
        }
    }

    [LoggerMessage(3100, LogLevel.Debug, "Stored the result of task {TaskId}: {SizeBytes} bytes")]
    public static partial void ResultStored(this ILogger logger, Guid taskId, long sizeBytes);

    [LoggerMessage(3101, LogLevel.Warning, "Storing the result of task {TaskId} failed; nothing of it was kept")]
    public static partial void ResultWriteFailed(this ILogger logger, Guid taskId, Exception exception);

    [LoggerMessage(
        3102,
        LogLevel.Warning,
        "The result of task {TaskId} grew past the limit of {MaxBytes} bytes and was discarded")]
    public static partial void ResultTooLarge(this ILogger logger, Guid taskId, long maxBytes);

    [LoggerMessage(3103, LogLevel.Information, "Storing the result of task {TaskId} was cancelled; nothing was kept")]
    public static partial void ResultWriteCancelled(this ILogger logger, Guid taskId);

    [LoggerMessage(3104, LogLevel.Debug, "Deleted the result of task {TaskId}")]
    public static partial void ResultDeleted(this ILogger logger, Guid taskId);

    [LoggerMessage(
        3105,
        LogLevel.Error,
        "The stored result of task {TaskId} at {Path} is not a result file this version can read; it is left alone")]
    public static partial void ResultFileUnreadable(this ILogger logger, Guid taskId, string path);

    [LoggerMessage(3106, LogLevel.Information, "Removed {Count} temporary result files left behind by a crash")]
    public static partial void StaleTemporaryFilesRemoved(this ILogger logger, int count);

    [LoggerMessage(3107, LogLevel.Warning, "Could not remove the temporary result file {Path}")]
    public static partial void TemporaryFileNotRemoved(this ILogger logger, string path, Exception exception);

    [LoggerMessage(3110, LogLevel.Information, "Results are stored in the folder {Path}")]
    public static partial void LocalFolderReady(this ILogger logger, string path);

    [LoggerMessage(3120, LogLevel.Information, "Results are stored in bucket {Bucket} at {Endpoint}")]
    public static partial void S3Ready(this ILogger logger, string bucket, string endpoint);

    [LoggerMessage(3121, LogLevel.Information, "Created the result bucket {Bucket} at {Endpoint}")]
    public static partial void S3BucketCreated(this ILogger logger, string bucket, string endpoint);

    [LoggerMessage(3122, LogLevel.Error, "The S3 result store is not usable: {Problem}")]
    public static partial void S3NotUsable(this ILogger logger, string problem, Exception? exception);

    [LoggerMessage(
        3123,
        LogLevel.Warning,
        "Could not abort the unfinished upload of task {TaskId}'s result; its parts stay in the bucket until a "
        + "lifecycle rule for incomplete multipart uploads removes them")]
    public static partial void IncompleteUploadNotAborted(this ILogger logger, Guid taskId, Exception exception);

    [LoggerMessage(3124, LogLevel.Warning, "Reading the result of task {TaskId} from S3 failed")]
    public static partial void ResultReadFailed(this ILogger logger, Guid taskId, Exception exception);
}

namespace TaskQueue.SyftService.Diagnostics;

/// <summary>The service's log events (ids 5000-5099: task services).</summary>
internal static partial class Log
{
    [LoggerMessage(
        5000,
        LogLevel.Information,
        "SBOM engine {Engine} at {EnginePath}; up to {MaxConcurrentScans} scans at once")]
    public static partial void EngineSelected(
        this ILogger logger, string engine, string enginePath, int maxConcurrentScans);

    [LoggerMessage(5001, LogLevel.Debug, "Scanning {ImageRef} with {Engine} as {Format}")]
    public static partial void ScanStarted(this ILogger logger, string imageRef, string engine, string format);

    [LoggerMessage(
        5002,
        LogLevel.Information,
        "Scanned {ImageRef} with {Engine} in {ElapsedMs} ms ({SizeBytes} bytes)")]
    public static partial void ScanSucceeded(
        this ILogger logger, string imageRef, string engine, long elapsedMs, long sizeBytes);

    [LoggerMessage(5003, LogLevel.Information, "Image {ImageRef} not found: {Reason}")]
    public static partial void ImageNotFound(this ILogger logger, string imageRef, string reason);

    [LoggerMessage(5004, LogLevel.Warning, "Registry of {ImageRef} refused or failed: {Reason}")]
    public static partial void RegistryProblem(this ILogger logger, string imageRef, string reason);

    [LoggerMessage(
        5005,
        LogLevel.Warning,
        "Registry of {ImageRef} is rate-limiting; retry after {RetryAfterSeconds} s")]
    public static partial void RegistryRateLimited(this ILogger logger, string imageRef, double retryAfterSeconds);

    [LoggerMessage(
        5006,
        LogLevel.Warning,
        "Scan of {ImageRef} with {Engine} passed its deadline of {Deadline} and was killed")]
    public static partial void ScanTimedOut(this ILogger logger, string imageRef, string engine, TimeSpan deadline);

    [LoggerMessage(5007, LogLevel.Error, "Scan of {ImageRef} with {Engine} failed (exit code {ExitCode}): {Reason}")]
    public static partial void EngineFailed(
        this ILogger logger, string imageRef, string engine, int exitCode, string reason);

    [LoggerMessage(5008, LogLevel.Debug, "Turned {ImageRef} away: every scan slot is taken")]
    public static partial void ScanRejectedBusy(this ILogger logger, string imageRef);

    [LoggerMessage(5009, LogLevel.Debug, "Rejected a scan request: {Reason}")]
    public static partial void RequestRejected(this ILogger logger, string reason);

    [LoggerMessage(5010, LogLevel.Warning, "Could not remove the scan folder {Folder}")]
    public static partial void WorkspaceNotRemoved(this ILogger logger, Exception exception, string folder);

    [LoggerMessage(5011, LogLevel.Information, "Removed {Count} scan folders left behind in {Folder}")]
    public static partial void StaleWorkspacesRemoved(this ILogger logger, int count, string folder);

    [LoggerMessage(
        5012,
        LogLevel.Information,
        "The caller of the scan of {ImageRef} went away; the engine was stopped")]
    public static partial void ScanAborted(this ILogger logger, string imageRef);

    [LoggerMessage(5013, LogLevel.Information, "Refused {ImageRef}: {Reason}")]
    public static partial void RegistryNotAllowed(this ILogger logger, string imageRef, string reason);
}

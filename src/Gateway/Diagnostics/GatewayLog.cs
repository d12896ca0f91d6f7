namespace TaskQueue.Gateway.Diagnostics;

/// <summary>
/// Everything the gateway logs, event ids 1000-1099. Per-request events stay at Debug; Warning and Error are
/// for what an operator must look at.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1000, LogLevel.Warning,
        "The gateway cannot reach the task cluster (attempt {Attempt}); it keeps trying: {Reason}")]
    public static partial void ClusterConnectionFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(1001, LogLevel.Information, "The gateway is connected to the task cluster.")]
    public static partial void ClusterConnected(ILogger logger);

    [LoggerMessage(1002, LogLevel.Warning,
        "The task cluster did not answer {Method} {Route} for user {UserId}; answered 503 (trace_id {TraceId}).")]
    public static partial void ClusterUnavailable(
        ILogger logger,
        Exception exception,
        string method,
        string route,
        string? userId,
        string traceId);

    [LoggerMessage(1003, LogLevel.Error, "{Method} {Route} failed for user {UserId}; answered 500 (trace_id {TraceId}).")]
    public static partial void RequestFailed(
        ILogger logger,
        Exception exception,
        string method,
        string route,
        string? userId,
        string traceId);

    [LoggerMessage(1004, LogLevel.Error,
        "Task {TaskId} of user {UserId} succeeded, but its result is missing from the result store.")]
    public static partial void ResultMissing(ILogger logger, Guid taskId, string userId);

    [LoggerMessage(1005, LogLevel.Debug, "Task {TaskId} of type {TaskType} submitted by user {UserId}: {Outcome}.")]
    public static partial void TaskSubmitted(
        ILogger logger,
        Guid taskId,
        string taskType,
        string userId,
        string outcome);

    [LoggerMessage(1006, LogLevel.Warning,
        "Task {TaskId} submitted by user {UserId} may or may not have been stored: the cluster did not answer; "
        + "answered 503 (trace_id {TraceId}).")]
    public static partial void SubmissionOutcomeUnknown(
        ILogger logger,
        Exception exception,
        Guid taskId,
        string userId,
        string traceId);

    [LoggerMessage(1007, LogLevel.Debug, "Readiness check failed: {Reason}")]
    public static partial void NotReady(ILogger logger, string reason);

    [LoggerMessage(1008, LogLevel.Warning,
        "Task {TaskId} has a result with an unusable media type {MediaType}; it is served as octet-stream.")]
    public static partial void ResultMediaTypeInvalid(ILogger logger, Guid taskId, string mediaType);

    [LoggerMessage(1009, LogLevel.Debug, "The client went away before {Method} {Route} was answered.")]
    public static partial void RequestAborted(ILogger logger, string method, string route);

    [LoggerMessage(1010, LogLevel.Error,
        "Task {TaskId} of user {UserId} says it succeeded but carries no result description.")]
    public static partial void ResultInfoMissing(ILogger logger, Guid taskId, string userId);
}

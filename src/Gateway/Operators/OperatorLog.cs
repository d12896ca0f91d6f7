namespace TaskQueue.Gateway.Operators;

/// <summary>What the operator endpoints log: event ids 1090-1099, within the gateway's 1000-1099.</summary>
internal static partial class OperatorLog
{
    // Warning: a user reaching for every user's tasks without being an operator is worth a look (a mistyped
    // setting, or someone probing).
    [LoggerMessage(1090, LogLevel.Warning,
        "User {UserId} asked for {Method} {Route}, an operator endpoint, but is not one of the configured operator "
        + "users; answered 403.")]
    public static partial void AccessDenied(ILogger logger, string userId, string method, string route);
}

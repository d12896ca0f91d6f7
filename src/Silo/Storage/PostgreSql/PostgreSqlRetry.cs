using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// Tries an operation a second time when the server ended its session before it ran: what every pooled connection
/// meets once after the server restarted or failed over.
/// </summary>
/// <remarks>
/// PostgreSQL ends each session with SQLSTATE 57P01 (admin shutdown, also sent when the postmaster died), 57P02 (crash
/// of another server process) or 57P03 (cannot connect now). A transaction cut off that way did not commit, so
/// running the operation again on a new connection is safe, for writes too. Npgsql notices a dead pooled connection
/// only when it next uses it, so without this each of up to <c>MaxPoolSize</c> idle connections would fail one
/// caller after a restart. Other failures (a connection lost mid-reply) are ambiguous for writes and reach the caller.
/// </remarks>
internal static class PostgreSqlRetry
{
    public static async Task<T> OnceIfSessionEndedAsync<T>(NpgsqlDataSource dataSource, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (PostgresException ended) when (SessionEnded(ended))
        {
            // The server restarted: every idle connection of the pool is as dead as this one. Closing them all makes
            // the second try (and everyone else's next operation) open a new one instead of meeting the next corpse.
            dataSource.Clear();
            return await operation();
        }
    }

    public static bool SessionEnded(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow;
}

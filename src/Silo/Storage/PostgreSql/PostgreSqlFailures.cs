using System.Net.Sockets;
using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// Turns what Npgsql throws while connecting or applying the schema into a message that says what to fix: which
/// server, database and user, and which setting. Messages never contain the connection string or the password.
/// </summary>
internal static class PostgreSqlFailures
{
    /// <summary>An explained failure, or <paramref name="failure"/> itself when there is nothing to add.</summary>
    public static Exception Explain(Exception failure, NpgsqlConnectionStringBuilder settings, string schema)
    {
        var where = PostgreSqlDatabase.Describe(settings);
        var variable = Variable(nameof(PostgreSqlStorageOptions.ConnectionString));
        var message = failure switch
        {
            PostgresException server => ExplainServer(server, settings, schema, where, variable),
            NpgsqlException { InnerException: TimeoutException } => $"Timed out connecting to {where} after "
                + $"{settings.Timeout} seconds. Check Host and Port in the connection string ({variable}), that the "
                + "server runs, and that a firewall lets this machine through.",
            NpgsqlException client when Find<SocketException>(client) is { } socket =>
                $"Cannot reach {where}: {Reason(socket)}. Check Host and Port in the connection string ({variable}) "
                + "and that the server runs and accepts TCP connections from this machine.",
            NpgsqlException client when client.IsTransient => $"Cannot connect to {where}: {client.Message}. Check "
                + $"Host and Port in the connection string ({variable}) and that the server runs.",
            NpgsqlException client => $"Cannot use {where}: {client.Message}. Check the connection string "
                + $"({variable}).",
            _ => null,
        };
        return message is null ? failure : new InvalidOperationException(message, failure);
    }

    private static string ExplainServer(
        PostgresException server,
        NpgsqlConnectionStringBuilder settings,
        string schema,
        string where,
        string variable) =>
        server.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                $"{where} refused the login ({server.MessageText}). Check Username and Password in the connection "
                + $"string ({variable}), and that the server's pg_hba.conf admits this user from this machine.",
            PostgresErrorCodes.InvalidCatalogName =>
                $"{where}: the database '{settings.Database}' does not exist ({server.MessageText}). Create it "
                + $"(CREATE DATABASE {settings.Database}) or fix Database in the connection string ({variable}).",
            PostgresErrorCodes.InsufficientPrivilege =>
                $"{where}: the user may not create or use TaskQueue's schema '{schema}' ({server.MessageText}). Grant "
                + "it CREATE on the database (or on the schema), or apply the schema once as an owner (see "
                + "docs/storage-postgresql.md) and set "
                + $"{Variable(nameof(PostgreSqlStorageOptions.ApplySchemaOnStart))}=false.",
            PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject =>
                $"{where}: the schema '{schema}' already holds tables that TaskQueue did not create "
                + $"({server.MessageText}). Point "
                + $"{Variable(nameof(PostgreSqlStorageOptions.Schema))} at a schema of its own.",
            PostgresErrorCodes.TooManyConnections =>
                $"{where} has no free connection slot ({server.MessageText}). Raise the server's max_connections or "
                + "lower the pool bound of the processes that use it "
                + $"({Variable(nameof(PostgreSqlStorageOptions.MaxPoolSize))}).",
            PostgresErrorCodes.CannotConnectNow =>
                $"{where} is starting up or shutting down ({server.MessageText}). Start again once it is up.",
            _ => $"{where} answered SQLSTATE {server.SqlState}: {server.MessageText}.",
        };

    private static string Variable(string key) => PostgreSqlStorageOptionsValidator.EnvironmentVariable(key);

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = (Exception?)exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Reason(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "nothing listens on that port (connection refused)",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
        SocketError.TimedOut => "the connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the host is unreachable",
        _ => socket.Message,
    };
}

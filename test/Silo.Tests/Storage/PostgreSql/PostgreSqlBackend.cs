using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TaskQueue.Silo.Storage.PostgreSql;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>The backend's parts built by hand on a test database, as the registration builds them in a silo.</summary>
internal static class PostgreSqlBackend
{
    public static PostgreSqlStorageOptions Options(string connectionString, string schema = "taskqueue") =>
        new() { ConnectionString = connectionString, Schema = schema };

    /// <summary>The database object (pool and schema) for <paramref name="options"/>; not yet started.</summary>
    public static PostgreSqlDatabase Database(PostgreSqlStorageOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), NullLoggerFactory.Instance);

    /// <summary>A started database object: the schema applied.</summary>
    public static async Task<PostgreSqlDatabase> StartedAsync(
        string connectionString,
        CancellationToken cancellationToken,
        string schema = "taskqueue")
    {
        var database = Database(Options(connectionString, schema));
        try
        {
            await database.StartAsync(cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public static IOptions<ClusterOptions> Cluster(string clusterId = "taskqueue", string serviceId = "taskqueue") =>
        Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = serviceId });
}

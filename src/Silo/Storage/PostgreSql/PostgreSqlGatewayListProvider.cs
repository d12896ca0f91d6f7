using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// For Orleans clients (the gateway in client mode, other .NET services): the gateway endpoints of the cluster's
/// active silos, read from the membership table the silos keep in PostgreSQL.
/// </summary>
/// <remarks>
/// A client never applies the schema (that is the silos' job) and accepts a schema newer than it knows, so that
/// clients can be upgraded after the silos; it refuses only a database where no silo ever created the schema.
/// </remarks>
internal sealed class PostgreSqlGatewayListProvider : IGatewayListProvider
{
    private readonly PostgreSqlDatabase _database;
    private readonly string _clusterId;
    private readonly ILogger<PostgreSqlGatewayListProvider> _logger;
    private readonly string _sql;

    public PostgreSqlGatewayListProvider(
        PostgreSqlDatabase database,
        IOptions<ClusterOptions> cluster,
        IOptions<GatewayOptions> gateway,
        ILogger<PostgreSqlGatewayListProvider> logger)
    {
        _database = database;
        _clusterId = cluster.Value.ClusterId;
        _logger = logger;
        MaxStaleness = gateway.Value.GatewayListRefreshPeriod;
        _sql = $"""
            SELECT address, proxy_port, generation FROM {database.Tables.Silos}
            WHERE cluster_id = $1 AND status = $2 AND proxy_port > 0
            """;
    }

    public TimeSpan MaxStaleness { get; }

    [Obsolete("Orleans no longer reads it: every provider is refreshed.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    public async Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
            if (await PostgreSqlSchema.ReadVersionAsync(connection, _database.Tables, cancellationToken) == 0)
            {
                throw new InvalidOperationException(
                    $"{_database.Description} holds no TaskQueue schema '{_database.Tables.Schema}': no silo of the "
                    + "cluster has started on it yet. Start a silo (it applies the schema), apply the schema (see "
                    + "docs/storage-postgresql.md), or check the connection string and Schema setting of this client.");
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var explained = PostgreSqlFailures.Explain(failure, _database.Settings, _database.Tables.Schema);
            PostgreSqlStorageLog.StartFailed(_logger, explained.Message);
            if (ReferenceEquals(explained, failure))
            {
                throw;
            }

            throw explained;
        }
    }

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken) =>
        PostgreSqlRetry.OnceIfSessionEndedAsync(_database.DataSource, () => GetGatewaysOnceAsync(cancellationToken));

    private async Task<IList<Uri>> GetGatewaysOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.DataSource.CreateCommand(_sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = nameof(SiloStatus.Active) });
        var gateways = new List<Uri>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var endpoint = new IPEndPoint(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1));
            gateways.Add(SiloAddress.New(endpoint, reader.GetInt32(2)).ToGatewayUri());
        }

        PostgreSqlStorageLog.GatewaysFound(_logger, gateways.Count, _clusterId);
        return gateways;
    }
}

using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// Orleans' cluster membership table in PostgreSQL: one version row per cluster id and one row per silo. Follows the
/// semantics of Orleans 10.4.2's own tables: an insert or update succeeds only if the table version's etag is still
/// the one the caller read (and, for an update, the row's etag too), and changes the row and the version together;
/// heartbeats change neither etag.
/// </summary>
/// <remarks>
/// A write is one transaction of a few statements sent in one batch and then committed or rolled back on what they
/// reported: two round trips. Membership changes are rare (joins, leaves, suspicions), so clarity wins over a single
/// statement. Concurrent writers queue on the cluster's version row; the first to commit moves its etag on, and the
/// others then find it changed and fail, as the protocol expects.
/// </remarks>
internal sealed partial class PostgreSqlMembershipTable : IMembershipTable
{
    private const string Dead = nameof(SiloStatus.Dead);
    private readonly PostgreSqlDatabase _database;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlTables _tables;
    private readonly string _clusterId;
    private readonly ILogger<PostgreSqlMembershipTable> _logger;

    public PostgreSqlMembershipTable(
        PostgreSqlDatabase database,
        IOptions<ClusterOptions> cluster,
        ILogger<PostgreSqlMembershipTable> logger)
    {
        _database = database;
        _dataSource = database.DataSource;
        _tables = database.Tables;
        _clusterId = cluster.Value.ClusterId;
        _logger = logger;
    }

    public Task InitializeMembershipTable(bool tryInitTableVersion) =>
        InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        await _database.StartAsync(cancellationToken);
        if (tryInitTableVersion)
        {
            await using var command = _dataSource.CreateCommand(EnsureVersionSql);
            command.Parameters.Add(Text(_clusterId));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task DeleteMembershipTableEntries(string clusterId) =>
        DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    /// <summary>Deletes the cluster's silo rows and its version row: the cluster starts again from version 0.</summary>
    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);

        // One batch runs as one implicit transaction: both deletes happen or neither does.
        await using var batch = _dataSource.CreateBatch();
        var silos = new NpgsqlBatchCommand($"DELETE FROM {_tables.Silos} WHERE cluster_id = $1")
        {
            Parameters = { Text(clusterId) },
        };
        batch.BatchCommands.Add(silos);
        batch.BatchCommands.Add(
            new NpgsqlBatchCommand($"DELETE FROM {_tables.MembershipVersions} WHERE cluster_id = $1")
            {
                Parameters = { Text(clusterId) },
            });
        await batch.ExecuteNonQueryAsync(cancellationToken);
        PostgreSqlStorageLog.MembershipDeleted(_logger, clusterId, silos.RecordsAffected);
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    /// <summary>
    /// Removes this cluster's dead silos whose last known update (start, heartbeat or a suspicion vote, whichever is
    /// latest) precedes <paramref name="beforeDate"/>. Silos in any other state stay, as in Orleans 10.4.2's tables.
    /// </summary>
    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"DELETE FROM {_tables.Silos} WHERE cluster_id = $1 AND status = $2 AND last_update_at < $3");
        command.Parameters.Add(Text(_clusterId));
        command.Parameters.Add(Text(Dead));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = beforeDate.ToUniversalTime() });
        var removed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (removed > 0)
        {
            PostgreSqlStorageLog.DefunctSilosRemoved(_logger, removed, _clusterId, beforeDate);
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadAsync(key, cancellationToken);
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) =>
        ReadAsync(silo: null, cancellationToken);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> InsertRowAsync(
        MembershipEntry entry,
        TableVersion tableVersion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.SiloAddress);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return WriteAsync(
            entry,
            tableVersion,
            () =>
            {
                var insert = new NpgsqlBatchCommand(InsertSiloSql);
                AddRowParameters(insert.Parameters, entry);
                return insert;
            },
            "insert",
            cancellationToken);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRowAsync(
        MembershipEntry entry,
        string etag,
        TableVersion tableVersion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.SiloAddress);
        ArgumentNullException.ThrowIfNull(tableVersion);
        if (!TryParseETag(etag, out var rowETag))
        {
            // No row ever had this etag.
            return Task.FromResult(false);
        }

        return WriteAsync(
            entry,
            tableVersion,
            () =>
            {
                var update = new NpgsqlBatchCommand(UpdateSiloSql);
                AddRowParameters(update.Parameters, entry);
                update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rowETag });
                return update;
            },
            "update",
            cancellationToken);
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    /// <summary>Writes the heartbeat time alone: no etag and no table version changes.</summary>
    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.SiloAddress);
        var updated = await PostgreSqlRetry.OnceIfSessionEndedAsync(_dataSource, async () =>
        {
            await using var command = _dataSource.CreateCommand(
                $"""
                UPDATE {_tables.Silos}
                SET i_am_alive_time = $5, last_update_at = greatest(last_update_at, $5)
                WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4
                """);
            AddKeyParameters(command.Parameters, entry.SiloAddress);
            command.Parameters.Add(Time(entry.IAmAliveTime));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
        if (updated == 0)
        {
            PostgreSqlStorageLog.HeartbeatWithoutRow(_logger, entry.SiloAddress, _clusterId);
        }
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static bool TryParseETag(string? etag, out long value) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Runs the row statement together with the table version's compare-and-swap in one transaction, and commits
    /// only if both changed exactly one row.
    /// </summary>
    private async Task<bool> WriteAsync(
        MembershipEntry entry,
        TableVersion tableVersion,
        Func<NpgsqlBatchCommand> rowStatement,
        string operation,
        CancellationToken cancellationToken)
    {
        if (!TryParseETag(tableVersion.VersionEtag, out var tableETag))
        {
            return false;
        }

        var written = await PostgreSqlRetry.OnceIfSessionEndedAsync(
            _dataSource,
            () => WriteOnceAsync(tableVersion.Version, tableETag, rowStatement(), cancellationToken));
        if (!written)
        {
            PostgreSqlStorageLog.MembershipConflict(_logger, _clusterId, operation, entry.SiloAddress);
        }

        return written;
    }

    private async Task<bool> WriteOnceAsync(
        int version,
        long tableETag,
        NpgsqlBatchCommand rowCommand,
        CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // A missing version row is version 0 with etag 0, what InitializeMembershipTable creates: this keeps a
        // cluster whose table was deleted able to start again.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(EnsureVersionSql) { Parameters = { Text(_clusterId) } });
        var bump = new NpgsqlBatchCommand(
            $"""
            UPDATE {_tables.MembershipVersions}
            SET version = $2, etag = nextval({_tables.ETagsLiteral}), changed_at = now()
            WHERE cluster_id = $1 AND etag = $3
            """)
        {
            Parameters =
            {
                Text(_clusterId),
                new NpgsqlParameter<int> { TypedValue = version },
                new NpgsqlParameter<long> { TypedValue = tableETag },
            },
        };
        batch.BatchCommands.Add(bump);
        batch.BatchCommands.Add(rowCommand);
        await batch.ExecuteNonQueryAsync(cancellationToken);

        if (bump.RecordsAffected == 1 && rowCommand.RecordsAffected == 1)
        {
            await transaction.CommitAsync(cancellationToken);
            return true;
        }

        await transaction.RollbackAsync(cancellationToken);
        return false;
    }

    private string EnsureVersionSql =>
        $"""
        INSERT INTO {_tables.MembershipVersions} (cluster_id, version, etag) VALUES ($1, 0, 0)
        ON CONFLICT (cluster_id) DO NOTHING
        """;
}

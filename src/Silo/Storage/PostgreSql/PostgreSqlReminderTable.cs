using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// Orleans' reminder table in PostgreSQL, keyed by service id, grain and reminder name. Behaves as Orleans' own
/// tables and the embedded one do: upserts are unconditional and answer a new etag, a remove with a stale etag
/// answers false, range reads follow the ring. Upserts and removes go through the database's batching writer, beside
/// the task records' writes.
/// </summary>
internal sealed class PostgreSqlReminderTable : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period, version";

    /// <summary>About what a write's parameters weigh besides the grain id and the name.</summary>
    private const int SmallWriteBytes = 128;
    private readonly PostgreSqlDatabase _database;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly string _table;
    private readonly string _upsertSql;
    private readonly string _removeSql;
    private readonly PostgreSqlWriter _writer;

    public PostgreSqlReminderTable(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster)
    {
        _database = database;
        _dataSource = database.DataSource;
        _serviceId = cluster.Value.ServiceId;
        _table = database.Tables.Reminders;
        _writer = database.Writer;
        _removeSql = $"""
            DELETE FROM {_table}
            WHERE service_id = $1 AND grain_id = $2 AND reminder_name = $3 AND version = $4
            RETURNING version
            """;
        _upsertSql = $"""
            INSERT INTO {_table} (service_id, grain_id, reminder_name, grain_hash, start_at, period, version)
            VALUES ($1, $2, $3, $4, $5, $6, nextval({database.Tables.ETagsLiteral}))
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
                grain_hash = excluded.grain_hash,
                start_at = excluded.start_at,
                period = excluded.period,
                version = excluded.version
            RETURNING version
            """;
    }

    // The silo's storage stage has already applied the schema; this waits for it when the table is used alone.
    public Task StartAsync(CancellationToken cancellationToken = default) => _database.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM {_table} WHERE service_id = $1 AND grain_id = $2",
            () => [new NpgsqlParameter<string> { TypedValue = grainId.ToString() }],
            cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>Rows whose grain hash is in the ring range (begin, end]; when begin &gt;= end it wraps.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        // begin == end is the whole ring, as in Orleans' SingleRange: (x, x] wraps all the way round.
        var condition = begin < end
            ? "grain_hash > $2 AND grain_hash <= $3"
            : "(grain_hash > $2 OR grain_hash <= $3)";
        return QueryAsync(
            $"SELECT {Columns} FROM {_table} WHERE service_id = $1 AND {condition}",
            () => [new NpgsqlParameter<long> { TypedValue = begin }, new NpgsqlParameter<long> { TypedValue = end }],
            cancellationToken);
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(
        GrainId grainId,
        string reminderName,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM {_table} WHERE service_id = $1 AND grain_id = $2 AND reminder_name = $3",
            () =>
            [
                new NpgsqlParameter<string> { TypedValue = grainId.ToString() },
                new NpgsqlParameter<string> { TypedValue = reminderName },
            ],
            cancellationToken);
        return rows.Reminders.Count == 0 ? null : rows.Reminders[0];
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        OrleansTimes.CheckReminder(entry);
        var grainId = entry.GrainId.ToString();
        var reminderName = entry.ReminderName;
        var grainHash = (long)entry.GrainId.GetUniformHashCode();
        var startAt = OrleansTimes.AsUtc(entry.StartAt);
        var period = entry.Period;
        var version = (long)(await _writer.WriteAsync(
            KeyOf(grainId, reminderName),
            _upsertSql,
            parameters =>
            {
                parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = reminderName });
                parameters.Add(new NpgsqlParameter<long> { TypedValue = grainHash });
                parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = startAt });
                parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = period });
            },
            SmallWriteBytes + grainId.Length + reminderName.Length,
            cancellationToken))!;
        return version.ToString(CultureInfo.InvariantCulture);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public async Task<bool> RemoveRow(
        GrainId grainId,
        string reminderName,
        string eTag,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            // No row ever had this etag, so no row matches it.
            return false;
        }

        var grainIdText = grainId.ToString();
        var removed = await _writer.WriteAsync(
            KeyOf(grainIdText, reminderName),
            _removeSql,
            parameters =>
            {
                parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = grainIdText });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = reminderName });
                parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
            },
            SmallWriteBytes + grainIdText.Length + reminderName.Length,
            cancellationToken);
        return removed is not null;
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <summary>Removes this service's reminders (other services sharing the schema keep theirs).</summary>
    public async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"DELETE FROM {_table} WHERE service_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The writer's ordering key: batches lock reminder rows in one order.</summary>
    private static string KeyOf(string grainId, string reminderName) => $"reminder {grainId} {reminderName}";

    /// <summary>Runs a query whose first parameter is the service id and reads the rows as reminder entries.</summary>
    private Task<ReminderTableData> QueryAsync(
        string sql,
        Func<NpgsqlParameter[]> parameters,
        CancellationToken cancellationToken) =>
        PostgreSqlRetry.OnceIfSessionEndedAsync(_dataSource, () => QueryOnceAsync(sql, parameters(), cancellationToken));

    private async Task<ReminderTableData> QueryOnceAsync(
        string sql,
        NpgsqlParameter[] parameters,
        CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.AddRange(parameters);
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = reader.GetFieldValue<DateTime>(2),
                Period = reader.GetFieldValue<TimeSpan>(3),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return new ReminderTableData(entries);
    }
}

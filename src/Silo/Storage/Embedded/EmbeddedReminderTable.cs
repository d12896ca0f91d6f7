using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// Orleans' reminder table in the embedded SQLite file, beside the task records and through the same writer.
/// Behaves as Orleans' in-memory and ADO.NET tables do: upserts are unconditional and answer a new etag, a
/// remove with a stale etag answers false, range reads follow the ring.
/// </summary>
internal sealed class EmbeddedReminderTable(EmbeddedDatabase database) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at_ticks, period_ticks, version";

    private const string UpsertSql = """
        INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at_ticks, period_ticks, version)
        VALUES ($grain_id, $reminder_name, $grain_hash, $start_at_ticks, $period_ticks, $version)
        ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
            grain_hash = excluded.grain_hash,
            start_at_ticks = excluded.start_at_ticks,
            period_ticks = excluded.period_ticks,
            version = excluded.version
        """;

    private const string RemoveSql =
        "DELETE FROM reminders WHERE grain_id = $grain_id AND reminder_name = $reminder_name AND version = $version";

    public Task StartAsync(CancellationToken cancellationToken = default) => database.StartAsync(cancellationToken);

    // The reminder service stops its table before the silo's storage stage ends; task grains may still be
    // writing then, so the file is closed by the database's own lifecycle stage, not here.
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM reminders WHERE grain_id = $grain_id",
            parameters => parameters.AddWithValue("$grain_id", grainId.ToString()),
            cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>Rows whose grain hash is in the ring range (begin, end]; when begin &gt;= end it wraps.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        // begin == end is the whole ring, as in Orleans' SingleRange: (x, x] wraps all the way round.
        var condition = begin < end
            ? "grain_hash > $begin AND grain_hash <= $end"
            : "grain_hash > $begin OR grain_hash <= $end";
        return QueryAsync(
            $"SELECT {Columns} FROM reminders WHERE {condition}",
            parameters =>
            {
                parameters.AddWithValue("$begin", (long)begin);
                parameters.AddWithValue("$end", (long)end);
            },
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
            $"SELECT {Columns} FROM reminders WHERE grain_id = $grain_id AND reminder_name = $reminder_name",
            parameters =>
            {
                parameters.AddWithValue("$grain_id", grainId.ToString());
                parameters.AddWithValue("$reminder_name", reminderName);
            },
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
        var startAtTicks = OrleansTimes.AsUtc(entry.StartAt).Ticks;
        var periodTicks = entry.Period.Ticks;
        return await database.WriteAsync(
            context =>
            {
                var version = context.NextVersion();
                var command = context.Command(UpsertSql);
                command.Parameters.AddWithValue("$grain_id", grainId);
                command.Parameters.AddWithValue("$reminder_name", reminderName);
                command.Parameters.AddWithValue("$grain_hash", grainHash);
                command.Parameters.AddWithValue("$start_at_ticks", startAtTicks);
                command.Parameters.AddWithValue("$period_ticks", periodTicks);
                command.Parameters.AddWithValue("$version", version);
                command.ExecuteNonQuery();
                return version.ToString(CultureInfo.InvariantCulture);
            },
            cancellationToken);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task<bool> RemoveRow(
        GrainId grainId,
        string reminderName,
        string eTag,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            // No row ever had this etag, so no row matches it.
            return Task.FromResult(false);
        }

        var grainIdText = grainId.ToString();
        return database.WriteAsync(
            context =>
            {
                var command = context.Command(RemoveSql);
                command.Parameters.AddWithValue("$grain_id", grainIdText);
                command.Parameters.AddWithValue("$reminder_name", reminderName);
                command.Parameters.AddWithValue("$version", version);
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        database.WriteAsync(context => context.Command("DELETE FROM reminders").ExecuteNonQuery(), cancellationToken);

    private async Task<ReminderTableData> QueryAsync(
        string sql,
        Action<SqliteParameterCollection> bind,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return new ReminderTableData(entries);
    }
}

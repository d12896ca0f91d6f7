using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>How membership entries map to rows of the <c>silos</c> table, and back.</summary>
internal sealed partial class PostgreSqlMembershipTable
{
    private const string RowColumns = """
        cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, role_name, update_zone,
        fault_zone, start_time, i_am_alive_time, suspect_times, last_update_at
        """;

    private const string ReadColumns = """
        v.version, v.etag, s.address, s.port, s.generation, s.silo_name, s.host_name, s.status, s.proxy_port,
        s.role_name, s.update_zone, s.fault_zone, s.start_time, s.i_am_alive_time, s.suspect_times, s.etag
        """;

    private string InsertSiloSql =>
        $"""
        INSERT INTO {_tables.Silos} ({RowColumns}, etag)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, nextval({_tables.ETagsLiteral}))
        ON CONFLICT DO NOTHING
        """;

    private string UpdateSiloSql =>
        $"""
        UPDATE {_tables.Silos}
        SET silo_name = $5, host_name = $6, status = $7, proxy_port = $8, role_name = $9, update_zone = $10,
            fault_zone = $11, start_time = $12, i_am_alive_time = $13, suspect_times = $14, last_update_at = $15,
            etag = nextval({_tables.ETagsLiteral})
        WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4 AND etag = $16
        """;

    /// <summary>
    /// Reads the version row and the silo rows (all, or one) in one statement, so that both come from one snapshot
    /// as Orleans requires. The outer row guarantees an answer even when the cluster has no rows at all.
    /// </summary>
    private Task<MembershipTableData> ReadAsync(SiloAddress? silo, CancellationToken cancellationToken) =>
        PostgreSqlRetry.OnceIfSessionEndedAsync(_dataSource, () => ReadOnceAsync(silo, cancellationToken));

    private async Task<MembershipTableData> ReadOnceAsync(SiloAddress? silo, CancellationToken cancellationToken)
    {
        var siloCondition = silo is null ? "" : " AND s.address = $2 AND s.port = $3 AND s.generation = $4";
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {ReadColumns}
            FROM (SELECT 1) AS one
            LEFT JOIN {_tables.MembershipVersions} AS v ON v.cluster_id = $1
            LEFT JOIN {_tables.Silos} AS s ON s.cluster_id = $1{siloCondition}
            """);
        if (silo is null)
        {
            command.Parameters.Add(Text(_clusterId));
        }
        else
        {
            AddKeyParameters(command.Parameters, silo);
        }

        var members = new List<Tuple<MembershipEntry, string>>();

        // No version row yet reads as version 0 with etag 0: the row InitializeMembershipTable would create.
        var version = new TableVersion(0, "0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                version = new TableVersion(reader.GetInt32(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
            }

            if (!reader.IsDBNull(2))
            {
                members.Add(Tuple.Create(ReadEntry(reader), reader.GetInt64(15).ToString(CultureInfo.InvariantCulture)));
            }
        }

        return new MembershipTableData(members, version);
    }

    private static MembershipEntry ReadEntry(NpgsqlDataReader reader)
    {
        var statusName = reader.GetString(7);
        if (!Enum.TryParse<SiloStatus>(statusName, ignoreCase: false, out var status))
        {
            throw new InvalidDataException($"A membership row has the unknown silo status '{statusName}'.");
        }

        var endpoint = new IPEndPoint(IPAddress.Parse(reader.GetString(2)), reader.GetInt32(3));
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(endpoint, reader.GetInt32(4)),
            SiloName = reader.GetString(5),
            HostName = reader.GetString(6),
            Status = status,
            ProxyPort = reader.GetInt32(8),
            RoleName = reader.IsDBNull(9) ? null : reader.GetString(9),
            UpdateZone = reader.GetInt32(10),
            FaultZone = reader.GetInt32(11),
            StartTime = reader.GetFieldValue<DateTime>(12),
            IAmAliveTime = reader.GetFieldValue<DateTime>(13),
            SuspectTimes = reader.IsDBNull(14) ? null : ReadVotes(reader.GetString(14)),
        };
    }

    private void AddKeyParameters(NpgsqlParameterCollection parameters, SiloAddress silo)
    {
        parameters.Add(Text(_clusterId));
        parameters.Add(Text(silo.Endpoint.Address.ToString()));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Endpoint.Port });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Generation });
    }

    private void AddRowParameters(NpgsqlParameterCollection parameters, MembershipEntry entry)
    {
        AddKeyParameters(parameters, entry.SiloAddress);
        parameters.Add(Text(entry.SiloName ?? ""));
        parameters.Add(Text(entry.HostName ?? ""));
        parameters.Add(Text(entry.Status.ToString()));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.ProxyPort });
        parameters.Add(new NpgsqlParameter<string?> { TypedValue = entry.RoleName, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.UpdateZone });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.FaultZone });
        parameters.Add(Time(entry.StartTime));
        parameters.Add(Time(entry.IAmAliveTime));
        parameters.Add(new NpgsqlParameter<string?>
        {
            TypedValue = entry.SuspectTimes is null ? null : WriteVotes(entry.SuspectTimes),
            NpgsqlDbType = NpgsqlDbType.Json,
        });
        parameters.Add(Time(LastUpdate(entry)));
    }

    /// <summary>
    /// The latest of the start, the heartbeat and the suspicion votes: Orleans 10.4.2 retires dead entries by the
    /// most recent of these, so that a silo declared dead lately stays visible however long ago it last beat.
    /// </summary>
    private static DateTime LastUpdate(MembershipEntry entry)
    {
        var latest = OrleansTimes.AsUtc(entry.StartTime);
        if (OrleansTimes.AsUtc(entry.IAmAliveTime) > latest)
        {
            latest = OrleansTimes.AsUtc(entry.IAmAliveTime);
        }

        foreach (var (_, votedAt) in entry.SuspectTimes ?? [])
        {
            if (OrleansTimes.AsUtc(votedAt) > latest)
            {
                latest = OrleansTimes.AsUtc(votedAt);
            }
        }

        return latest;
    }

    private static NpgsqlParameter<DateTime> Time(DateTime time) => new() { TypedValue = OrleansTimes.AsUtc(time) };

    // The votes keep their exact times (to the tick, with their kind) as JSON text: Orleans compares them.
    private static string WriteVotes(List<Tuple<SiloAddress, DateTime>> votes) =>
        JsonSerializer.Serialize(
            votes.Select(vote => new SuspectVote(vote.Item1.ToParsableString(), vote.Item2)).ToList(),
            VoteJsonContext.Default.ListSuspectVote);

    private static List<Tuple<SiloAddress, DateTime>> ReadVotes(string json) =>
        (JsonSerializer.Deserialize(json, VoteJsonContext.Default.ListSuspectVote) ?? [])
            .Select(vote => Tuple.Create(SiloAddress.FromParsableString(vote.Silo), vote.At))
            .ToList();

    internal sealed record SuspectVote(
        [property: JsonPropertyName("silo")] string Silo,
        [property: JsonPropertyName("at")] DateTime At);

    [JsonSerializable(typeof(List<SuspectVote>))]
    internal sealed partial class VoteJsonContext : JsonSerializerContext;
}

using MongoDB.Bson;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// How a cluster's membership is stored in the <c>membership</c> collection — one document per cluster that holds
/// the table version and every silo's entry — and the conditional updates the membership table sends.
/// </summary>
/// <remarks>
/// <code>
/// { _id: "taskqueue",                       // the cluster id
///   version: 7, etag: ObjectId("..."),      // Orleans' table version and its etag
///   members: [ { silo: "10.0.0.5:11111@134564", status: "Active", etag: ObjectId("..."),
///                host_name: "silo-0", silo_name: "silo-0", proxy_port: 30000, role_name: null,
///                update_zone: 0, fault_zone: 0, start_time: ISODate(...), i_am_alive: ISODate(...),
///                updated_at: ISODate(...), suspect_times: [ { silo: "...", at: ISODate(...) } ] } ] }
/// </code>
/// Orleans asks that a member's row and the table version change together or not at all. Both live in one
/// document here, and MongoDB applies an update to one document atomically on any deployment, so no transaction
/// (and no replica set) is needed. Every write names the etags it expects in its filter; a filter that matches
/// nothing is Orleans' "false". Times are kept to the millisecond.
/// </remarks>
internal static class MembershipDocument
{
    public const string Version = "version";
    public const string ETag = "etag";
    public const string Members = "members";

    public const string Silo = "silo";
    public const string Status = "status";
    public const string HostName = "host_name";
    public const string SiloName = "silo_name";
    public const string ProxyPort = "proxy_port";
    public const string RoleName = "role_name";
    public const string UpdateZone = "update_zone";
    public const string FaultZone = "fault_zone";
    public const string StartTime = "start_time";
    public const string IAmAlive = "i_am_alive";
    public const string UpdatedAt = "updated_at";
    public const string SuspectTimes = "suspect_times";
    public const string SuspectTime = "at";

    /// <summary>A new cluster's document: version 0 and no members, as Orleans expects of a new table.</summary>
    public static BsonDocument NewCluster(string clusterId, ObjectId etag) => new()
    {
        { "_id", clusterId },
        { Version, 0 },
        { ETag, etag },
        { Members, new BsonArray() },
    };

    /// <summary>Adds the entry if the table is still at the expected etag and the silo has no entry yet.</summary>
    public static (BsonDocument Filter, BsonDocument Update) Insert(
        string clusterId,
        MembershipEntry entry,
        TableVersion tableVersion,
        ObjectId expectedTableETag,
        ObjectId newTableETag,
        ObjectId rowETag)
    {
        var filter = new BsonDocument
        {
            { "_id", clusterId },
            { ETag, expectedTableETag },
            { $"{Members}.{Silo}", new BsonDocument("$ne", SiloKey(entry.SiloAddress)) },
        };
        var update = new BsonDocument
        {
            { "$set", new BsonDocument { { Version, tableVersion.Version }, { ETag, newTableETag } } },
            { "$push", new BsonDocument(Members, Member(entry, rowETag)) },
        };
        return (filter, update);
    }

    /// <summary>Changes the entry if the table and the entry are both still at the expected etags.</summary>
    public static (BsonDocument Filter, BsonDocument Update) Update(
        string clusterId,
        MembershipEntry entry,
        ObjectId expectedRowETag,
        TableVersion tableVersion,
        ObjectId expectedTableETag,
        ObjectId newTableETag,
        ObjectId newRowETag)
    {
        var filter = new BsonDocument
        {
            { "_id", clusterId },
            { ETag, expectedTableETag },
            {
                Members,
                new BsonDocument("$elemMatch", new BsonDocument
                {
                    { Silo, SiloKey(entry.SiloAddress) },
                    { ETag, expectedRowETag },
                })
            },
        };

        // "members.$" is the element the $elemMatch above matched. Every field is replaced except the heartbeat
        // times, which only move forward: the entry may come from a read older than the silo's last heartbeat, and
        // heartbeats leave the row's etag alone, so a plain replace could set the heartbeat back.
        var member = Member(entry, newRowETag);
        var set = new BsonDocument { { Version, tableVersion.Version }, { ETag, newTableETag } };
        var max = new BsonDocument();
        foreach (var field in member)
        {
            var target = field.Name is IAmAlive or UpdatedAt ? max : set;
            target.Add($"{Members}.$.{field.Name}", field.Value);
        }

        return (filter, new BsonDocument { { "$set", set }, { "$max", max } });
    }

    /// <summary>
    /// Sets the silo's I-am-alive time and nothing else: not the row's etag (a heartbeat must not make a writer's
    /// read stale, as in Orleans' SQL tables) and not the table version.
    /// </summary>
    public static (BsonDocument Filter, BsonDocument Update) IAmAliveUpdate(
        string clusterId,
        SiloAddress silo,
        DateTime iAmAliveTime)
    {
        var filter = new BsonDocument { { "_id", clusterId }, { $"{Members}.{Silo}", SiloKey(silo) } };
        var time = new BsonDateTime(OrleansTimes.AsUtc(iAmAliveTime));
        var update = new BsonDocument
        {
            { "$set", new BsonDocument($"{Members}.$.{IAmAlive}", time) },
            { "$max", new BsonDocument($"{Members}.$.{UpdatedAt}", time) },
        };
        return (filter, update);
    }

    /// <summary>
    /// Removes entries of dead silos that showed no sign of life (start, I-am-alive or a vote that declared them
    /// dead) since <paramref name="beforeDate"/>, as Orleans 10.4.2's own in-memory table does; the table version
    /// is left alone. Silos in any other status stay: they may yet come back or be declared dead.
    /// </summary>
    public static BsonDocument RemoveDefunct(DateTimeOffset beforeDate) => new(
        "$pull",
        new BsonDocument(
            Members,
            new BsonDocument
            {
                { Status, nameof(SiloStatus.Dead) },
                { UpdatedAt, new BsonDocument("$lt", new BsonDateTime(beforeDate.UtcDateTime)) },
            }));

    /// <summary>The text a silo address is stored and matched as: Orleans' own parsable form.</summary>
    public static string SiloKey(SiloAddress silo) => silo.ToParsableString();

    /// <summary>One member entry as stored, with its row etag.</summary>
    public static BsonDocument Member(MembershipEntry entry, ObjectId rowETag)
    {
        var startTime = OrleansTimes.AsUtc(entry.StartTime);
        var iAmAlive = OrleansTimes.AsUtc(entry.IAmAliveTime);
        var updatedAt = startTime > iAmAlive ? startTime : iAmAlive;
        BsonValue suspectTimes = BsonNull.Value;
        if (entry.SuspectTimes is { } votes)
        {
            var array = new BsonArray();
            foreach (var (voter, at) in votes)
            {
                var voteTime = OrleansTimes.AsUtc(at);
                updatedAt = voteTime > updatedAt ? voteTime : updatedAt;
                array.Add(new BsonDocument { { Silo, SiloKey(voter) }, { SuspectTime, new BsonDateTime(voteTime) } });
            }

            suspectTimes = array;
        }

        return new BsonDocument
        {
            { Silo, SiloKey(entry.SiloAddress) },
            { Status, entry.Status.ToString() },
            { ETag, rowETag },
            { HostName, Text(entry.HostName) },
            { SiloName, Text(entry.SiloName) },
            { ProxyPort, entry.ProxyPort },
            { RoleName, Text(entry.RoleName) },
            { UpdateZone, entry.UpdateZone },
            { FaultZone, entry.FaultZone },
            { StartTime, new BsonDateTime(startTime) },
            { IAmAlive, new BsonDateTime(iAmAlive) },
            { UpdatedAt, new BsonDateTime(updatedAt) },
            { SuspectTimes, suspectTimes },
        };
    }

    /// <summary>A stored member as Orleans' entry and its row etag.</summary>
    public static Tuple<MembershipEntry, string> ReadMember(BsonDocument member)
    {
        var statusName = member[Status].AsString;
        if (!Enum.TryParse<SiloStatus>(statusName, ignoreCase: false, out var status) || !Enum.IsDefined(status))
        {
            throw new InvalidDataException($"A stored membership entry has the unknown silo status '{statusName}'.");
        }

        List<Tuple<SiloAddress, DateTime>>? suspectTimes = null;
        if (member.GetValue(SuspectTimes, BsonNull.Value) is BsonArray votes)
        {
            suspectTimes = votes
                .Select(vote => Tuple.Create(
                    SiloAddress.FromParsableString(vote[Silo].AsString),
                    vote[SuspectTime].ToUniversalTime()))
                .ToList();
        }

        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(member[Silo].AsString),
            Status = status,
            SuspectTimes = suspectTimes,
            ProxyPort = member[ProxyPort].AsInt32,
            HostName = NullableText(member, HostName)!,
            SiloName = NullableText(member, SiloName)!,
            RoleName = NullableText(member, RoleName),
            UpdateZone = member[UpdateZone].AsInt32,
            FaultZone = member[FaultZone].AsInt32,
            StartTime = member[StartTime].ToUniversalTime(),
            IAmAliveTime = member[IAmAlive].ToUniversalTime(),
        };
        return Tuple.Create(entry, MongoDbETag.ToText(member[ETag].AsObjectId));
    }

    /// <summary>A cluster document as Orleans' table data: its members (all, or one silo's) and its version.</summary>
    public static MembershipTableData ReadTable(BsonDocument cluster, SiloAddress? only = null)
    {
        var version = new TableVersion(cluster[Version].AsInt32, MongoDbETag.ToText(cluster[ETag].AsObjectId));
        var key = only is null ? null : SiloKey(only);
        var members = cluster[Members].AsBsonArray
            .Select(member => member.AsBsonDocument)
            .Where(member => key is null || member[Silo].AsString == key)
            .Select(ReadMember)
            .ToList();
        return new MembershipTableData(members, version);
    }

    private static BsonValue Text(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    private static string? NullableText(BsonDocument member, string name) =>
        member.GetValue(name, BsonNull.Value) is BsonString text ? text.Value : null;
}

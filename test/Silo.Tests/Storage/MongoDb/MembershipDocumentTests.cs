using System.Net;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// Membership entries through real BSON bytes and back, and the conditional updates the membership table sends,
/// checked without a server.
/// </summary>
public sealed class MembershipDocumentTests
{
    private static readonly DateTime Start = new(2026, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc);

    [Fact]
    public void Member_EntryWithEveryField_ReadsBackEqualThroughBsonBytes()
    {
        var entry = Entry(SiloStatus.ShuttingDown, generation: 42);
        entry.RoleName = "silo-role";
        entry.UpdateZone = 3;
        entry.FaultZone = 4;
        entry.SuspectTimes =
        [
            Tuple.Create(Silo(7), Start.AddSeconds(30)),
            Tuple.Create(Silo(8), Start.AddSeconds(31).AddMilliseconds(5)),
        ];
        var etag = ObjectId.GenerateNewId();

        var (read, readETag) = MembershipDocument.ReadMember(ThroughBson(MembershipDocument.Member(entry, etag)));

        Assert.Equal(entry.ToFullString(), read.ToFullString());
        Assert.Equal(entry.SiloAddress, read.SiloAddress);
        Assert.Equal(entry.SuspectTimes, read.SuspectTimes);
        Assert.Equal(entry.StartTime, read.StartTime);
        Assert.Equal(entry.IAmAliveTime, read.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, read.IAmAliveTime.Kind);
        Assert.Equal(etag.ToString(), readETag);
    }

    [Fact]
    public void Member_NoSuspectsNoRole_StayNull()
    {
        var entry = Entry(SiloStatus.Joining, generation: 1);

        var member = MembershipDocument.Member(entry, ObjectId.GenerateNewId());

        var (read, _) = MembershipDocument.ReadMember(ThroughBson(member));

        Assert.Null(read.SuspectTimes);
        Assert.Null(read.RoleName);
        Assert.Equal(entry.ToFullString(), read.ToFullString());
    }

    [Fact]
    public void Member_LatestSignOfLife_IsTheUpdateTimeCleanupLooksAt()
    {
        var entry = Entry(SiloStatus.Dead, generation: 1);
        entry.IAmAliveTime = Start.AddMinutes(1);
        entry.SuspectTimes = [Tuple.Create(Silo(2), Start.AddMinutes(5)), Tuple.Create(Silo(3), Start.AddMinutes(2))];

        var member = MembershipDocument.Member(entry, ObjectId.GenerateNewId());

        Assert.Equal(Start.AddMinutes(5), member["updated_at"].ToUniversalTime());
        Assert.Equal("Dead", member["status"].AsString);
        Assert.Equal("127.0.0.1:11111@1", member["silo"].AsString);
    }

    [Fact]
    public void ReadMember_UnknownStatus_SaysSo()
    {
        var member = MembershipDocument.Member(Entry(SiloStatus.Active, 1), ObjectId.GenerateNewId());
        member["status"] = "Sleeping";

        var error = Assert.Throws<InvalidDataException>(() => MembershipDocument.ReadMember(member));

        Assert.Contains("'Sleeping'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Insert_NewSilo_ConditionalOnTableETagAndAbsenceThenPushAndBumpTogether()
    {
        var entry = Entry(SiloStatus.Joining, generation: 5);
        var (expected, next, row) = (ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId());

        var version = new TableVersion(3, expected.ToString());

        var (filter, update) = MembershipDocument.Insert("cluster", entry, version, expected, next, row);

        Assert.Equal(
            new BsonDocument
            {
                { "_id", "cluster" },
                { "etag", expected },
                { "members.silo", new BsonDocument("$ne", "127.0.0.1:11111@5") },
            },
            filter);
        Assert.Equal(new BsonDocument { { "version", 3 }, { "etag", next } }, update["$set"].AsBsonDocument);
        Assert.Equal(MembershipDocument.Member(entry, row), update["$push"]["members"].AsBsonDocument);
        Assert.Equal(["$set", "$push"], update.Names);
    }

    [Fact]
    public void Update_Silo_ConditionalOnBothETagsThenChangeTheMatchedMemberAndBump()
    {
        var entry = Entry(SiloStatus.Active, generation: 5);
        var ids = Enumerable.Range(0, 4).Select(_ => ObjectId.GenerateNewId()).ToArray();

        var (filter, update) = MembershipDocument.Update(
            "cluster", entry, ids[0], new TableVersion(9, ids[1].ToString()), ids[1], ids[2], ids[3]);

        Assert.Equal(
            new BsonDocument
            {
                { "_id", "cluster" },
                { "etag", ids[1] },
                {
                    "members",
                    new BsonDocument(
                        "$elemMatch",
                        new BsonDocument { { "silo", "127.0.0.1:11111@5" }, { "etag", ids[0] } })
                },
            },
            filter);

        // Every field of the matched member is set, except the heartbeat times, which only move forward.
        var member = MembershipDocument.Member(entry, ids[3]);
        var set = new BsonDocument { { "version", 9 }, { "etag", ids[2] } };
        var max = new BsonDocument();
        foreach (var field in member)
        {
            (field.Name is "i_am_alive" or "updated_at" ? max : set).Add("members.$." + field.Name, field.Value);
        }

        Assert.Equal(new BsonDocument { { "$set", set }, { "$max", max } }, update);
        Assert.Equal(
            ["members.$.i_am_alive", "members.$.updated_at"],
            update["$max"].AsBsonDocument.Names);
        Assert.Equal(new BsonDateTime(entry.IAmAliveTime), update["$max"]["members.$.i_am_alive"]);
        Assert.Equal(ids[3], update["$set"]["members.$.etag"].AsObjectId);
        Assert.Equal("Active", update["$set"]["members.$.status"].AsString);
    }

    [Fact]
    public void IAmAliveUpdate_Silo_HeartbeatTimeOnlyNotTheRowETagNorTheTableVersion()
    {
        var silo = Silo(5);
        var alive = Start.AddHours(1);

        var (filter, update) = MembershipDocument.IAmAliveUpdate("cluster", silo, alive);

        Assert.Equal(new BsonDocument { { "_id", "cluster" }, { "members.silo", "127.0.0.1:11111@5" } }, filter);
        Assert.Equal(
            new BsonDocument
            {
                { "$set", new BsonDocument("members.$.i_am_alive", new BsonDateTime(alive)) },
                { "$max", new BsonDocument("members.$.updated_at", new BsonDateTime(alive)) },
            },
            update);
    }

    [Fact]
    public void RemoveDefunct_Date_PullsDeadMembersSilentSinceThen()
    {
        var before = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal(
            new BsonDocument(
                "$pull",
                new BsonDocument(
                    "members",
                    new BsonDocument
                    {
                        { "status", "Dead" },
                        { "updated_at", new BsonDocument("$lt", new BsonDateTime(before.UtcDateTime)) },
                    })),
            MembershipDocument.RemoveDefunct(before));
    }

    [Fact]
    public void ReadTable_ClusterDocument_VersionAndMembersOrOneSilo()
    {
        var etag = ObjectId.GenerateNewId();
        var cluster = MembershipDocument.NewCluster("cluster", etag);
        cluster["version"] = 4;
        foreach (var entry in new[] { Entry(SiloStatus.Active, 1), Entry(SiloStatus.Dead, 2) })
        {
            cluster["members"].AsBsonArray.Add(MembershipDocument.Member(entry, ObjectId.GenerateNewId()));
        }

        var all = MembershipDocument.ReadTable(ThroughBson(cluster));
        var one = MembershipDocument.ReadTable(ThroughBson(cluster), Silo(2));

        Assert.Equal(new TableVersion(4, etag.ToString()), all.Version);
        Assert.Equal(2, all.Members.Count);
        Assert.Equal(all.Version, one.Version);
        Assert.Equal(Silo(2), Assert.Single(one.Members).Item1.SiloAddress);
    }

    [Fact]
    public void Gateways_Members_ActiveOnesWithAGatewayPortAtThatPort()
    {
        var cluster = MembershipDocument.NewCluster("cluster", ObjectId.GenerateNewId());
        var active = Entry(SiloStatus.Active, 1);
        var noGateway = Entry(SiloStatus.Active, 2);
        noGateway.ProxyPort = 0;
        foreach (var entry in new[] { active, noGateway, Entry(SiloStatus.Joining, 3), Entry(SiloStatus.Dead, 4) })
        {
            cluster["members"].AsBsonArray.Add(MembershipDocument.Member(entry, ObjectId.GenerateNewId()));
        }

        var gateways = MongoDbGatewayListProvider.Gateways(cluster);

        Assert.Equal([new Uri("gwy.tcp://127.0.0.1:30000/1")], gateways);
    }

    private static MembershipEntry Entry(SiloStatus status, int generation) => new()
    {
        SiloAddress = Silo(generation),
        Status = status,
        HostName = "host-a",
        SiloName = "silo-a",
        ProxyPort = 30000,
        StartTime = Start,
        IAmAliveTime = Start.AddSeconds(10),
    };

    private static SiloAddress Silo(int generation) =>
        SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), generation);

    private static BsonDocument ThroughBson(BsonDocument document) =>
        BsonSerializer.Deserialize<BsonDocument>(document.ToBson());
}

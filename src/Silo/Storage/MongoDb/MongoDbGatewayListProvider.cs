using System.Net;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Orleans.Configuration;
using Orleans.Messaging;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Where an Orleans client (a gateway process, another .NET service) finds the cluster: the active silos with a
/// gateway port in the cluster's membership document. The client asks again every
/// <see cref="GatewayOptions.GatewayListRefreshPeriod"/>.
/// </summary>
internal sealed class MongoDbGatewayListProvider(
    MongoDbDatabase database,
    IOptions<ClusterOptions> clusterOptions,
    IOptions<GatewayOptions> gatewayOptions,
    ILogger<MongoDbGatewayListProvider> logger) : IGatewayListProvider
{
    private readonly string _clusterId = clusterOptions.Value.ClusterId;

    public TimeSpan MaxStaleness { get; } = gatewayOptions.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    // A client only reads: it checks that the server answers and creates nothing.
    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken) =>
        database.EnsureReachableAsync(cancellationToken);

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        var cluster = await database.Membership
            .Find(new BsonDocument("_id", _clusterId))
            .Project(new BsonDocument(MembershipDocument.Members, 1))
            .FirstOrDefaultAsync(cancellationToken);
        var gateways = cluster is null ? [] : Gateways(cluster);
        MongoDbStorageLog.GatewaysFound(logger, gateways.Count, _clusterId);
        return gateways;
    }

    /// <summary>The gateway addresses of the active members that accept clients (a gateway port other than 0).</summary>
    internal static List<Uri> Gateways(BsonDocument cluster) =>
        cluster.GetValue(MembershipDocument.Members, new BsonArray()).AsBsonArray
            .Select(member => MembershipDocument.ReadMember(member.AsBsonDocument).Item1)
            .Where(entry => entry.Status == SiloStatus.Active && entry.ProxyPort != 0)
            .Select(entry => SiloAddress
                .New(new IPEndPoint(entry.SiloAddress.Endpoint.Address, entry.ProxyPort), entry.SiloAddress.Generation)
                .ToGatewayUri())
            .ToList();
}

using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// The test classes that share one gateway co-hosting one silo. They run one after another; each test uses users
/// of its own, so their tasks never meet.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CoHostedGatewayGroup : ICollectionFixture<CoHostedGatewayFactory>
{
    public const string Name = "Co-hosted gateway";
}

using System.Net;
using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Health;

public sealed class HealthEndpointsTests(NoClusterGatewayFactory factory) : IClassFixture<NoClusterGatewayFactory>
{
    [Fact]
    public async Task Healthz_NoClusterNoIdentity_Alive()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal("alive", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_NoCluster_ServiceUnavailableProblem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/readyz", cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 503, cancellationToken);
        Assert.Contains("not connected", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

using System.Net;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.TaskTypes;

[Collection(CoHostedGatewayGroup.Name)]
public sealed class TaskTypesTests(CoHostedGatewayFactory factory)
{
    [Fact]
    public async Task TaskTypes_Configured_ListedWithTheirParameters()
    {
        using var alice = new GatewayClient(factory.CreateClient(), "alice");

        var types = await alice.GetJsonAsync("/task-types");

        var syft = Assert.Single(types.EnumerateArray(), t => t.GetProperty("name").GetString() == "syft");
        Assert.Equal(2, syft.GetProperty("max_attempts").GetInt32());
        Assert.Equal(15 * 60, syft.GetProperty("attempt_deadline_seconds").GetDouble());
        var image = Assert.Single(
            syft.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "docker_image_id");
        Assert.True(image.GetProperty("required").GetBoolean());
        Assert.Equal(512, image.GetProperty("max_length").GetInt32());
    }

    [Fact]
    public async Task Readyz_CoHostedSilo_Ready()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

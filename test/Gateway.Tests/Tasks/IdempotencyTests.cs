using System.Net;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Tasks;

[Collection(CoHostedGatewayGroup.Name)]
public sealed class IdempotencyTests(CoHostedGatewayFactory factory)
{
    [Fact]
    public async Task Submit_SameKeyAndRequestTwice_OneTaskSecondAnswerOk()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = User();

        using var first = await alice.SubmitAsync("ubuntu:24.04", idempotencyKey: "build-4711");
        using var second = await alice.SubmitAsync("ubuntu:24.04", idempotencyKey: "build-4711");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstId = GatewayClient.Parse(await first.Content.ReadAsStringAsync(cancellationToken)).GetProperty("id");
        var secondId = GatewayClient.Parse(await second.Content.ReadAsStringAsync(cancellationToken)).GetProperty("id");
        Assert.Equal(firstId.GetGuid(), secondId.GetGuid());
        Assert.Single((await alice.GetJsonAsync("/tasks")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Submit_SameKeyDifferentRequest_ConflictAndNothingNew()
    {
        using var alice = User();
        using var first = await alice.SubmitAsync("ubuntu:24.04", idempotencyKey: "nightly");

        using var second = await alice.SubmitAsync("debian:12", idempotencyKey: "nightly");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(second, 409, TestContext.Current.CancellationToken);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single((await alice.GetJsonAsync("/tasks")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Submit_SameKeyTwoUsers_TwoTasks()
    {
        using var alice = User();
        using var bob = User();

        var aliceTask = await SubmitWithKeyAsync(alice);
        var bobTask = await SubmitWithKeyAsync(bob);

        Assert.NotEqual(aliceTask, bobTask);
    }

    private static async Task<Guid> SubmitWithKeyAsync(GatewayClient user)
    {
        using var response = await user.SubmitAsync("alpine:3", idempotencyKey: "shared-key");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return GatewayClient.Parse(body).GetProperty("id").GetGuid();
    }

    private GatewayClient User() => new(factory.CreateClient(), $"user-{Guid.NewGuid():N}");
}

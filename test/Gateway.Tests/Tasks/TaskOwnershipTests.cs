using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Tasks;

/// <summary>Another user's task is answered exactly like one that does not exist, on every route.</summary>
[Collection(CoHostedGatewayGroup.Name)]
public sealed class TaskOwnershipTests(CoHostedGatewayFactory factory)
{
    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/cancel")]
    [InlineData("GET", "/result")]
    public async Task AnotherUsersTask_AnyRoute_SameAnswerAsAMissingTask(string method, string suffix)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var owner = User();
        using var stranger = User();
        var id = (await owner.SubmitAcceptedAsync("alpine:owned")).GetProperty("id").GetGuid();
        await owner.WaitForStatusAsync(id, "succeeded");

        using var theirs = await stranger.SendAsync(new HttpMethod(method), $"/tasks/{id}{suffix}");
        using var missing = await stranger.SendAsync(new HttpMethod(method), $"/tasks/{Guid.CreateVersion7()}{suffix}");
        using var malformed = await stranger.SendAsync(new HttpMethod(method), $"/tasks/not-an-id{suffix}");

        var expected = WithoutTraceId(await ProblemAssert.IsProblemAsync(missing, 404, cancellationToken));
        Assert.Equal(expected, WithoutTraceId(await ProblemAssert.IsProblemAsync(theirs, 404, cancellationToken)));
        Assert.Equal(expected, WithoutTraceId(await ProblemAssert.IsProblemAsync(malformed, 404, cancellationToken)));
        Assert.Equal("succeeded", (await owner.GetJsonAsync($"/tasks/{id}")).GetProperty("status").GetString());
    }

    private static string WithoutTraceId(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject()
            .Where(p => p.Name != "trace_id")
            .ToDictionary(p => p.Name, p => p.Value));

    private GatewayClient User() => new(factory.CreateClient(), $"user-{Guid.NewGuid():N}");
}

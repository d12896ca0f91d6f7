using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Operators;

/// <summary>
/// <c>GET /operator/tasks</c> on the real gateway co-hosting the real silo and store. The store is shared with the
/// collection's other classes, which run before or after, never during: the tasks a test submits are the newest.
/// </summary>
[Collection(CoHostedGatewayGroup.Name)]
public sealed class OperatorTasksTests(CoHostedGatewayFactory factory)
{
    private static readonly CancellationToken Cancellation = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListAll_NoIdentityHeader_401()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/operator/tasks", Cancellation);

        await ProblemAssert.IsProblemAsync(response, 401, Cancellation);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?status=failed")]
    [InlineData("?limit=0")]
    public async Task ListAll_UserWhoIsNotAnOperator_403SayingSo(string query)
    {
        using var user = User();
        using var sameNameOtherCase = new GatewayClient(
            factory.CreateClient(), CoHostedGatewayFactory.OperatorUserId.ToUpperInvariant());

        using var response = await user.SendAsync(HttpMethod.Get, "/operator/tasks" + query);
        using var lookalike = await sameNameOtherCase.SendAsync(HttpMethod.Get, "/operator/tasks" + query);

        var problem = await ProblemAssert.IsProblemAsync(response, 403, Cancellation);
        Assert.Equal("You are not an operator.", problem.GetProperty("title").GetString());
        await ProblemAssert.IsProblemAsync(lookalike, 403, Cancellation);
    }

    [Fact]
    public async Task ListAll_Operator_SeesSeveralUsersTasksNewestFirstWithTheirUserIds()
    {
        using var erin = User();
        using var frank = User();
        using var grace = User();
        var submitted = new List<(Guid Id, string UserId, DateTimeOffset CreatedAt)>();
        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var user in new[] { erin, frank, grace })
            {
                var task = await user.SubmitAcceptedAsync($"operator/image:{round}");
                var createdAt = task.GetProperty("created_at").GetDateTimeOffset();
                submitted.Add((task.GetProperty("id").GetGuid(), user.UserId, createdAt));
            }
        }

        using var ops = Operator();
        var first = await ops.GetJsonAsync("/operator/tasks?limit=4");
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await ops.GetJsonAsync($"/operator/tasks?limit=4&cursor={cursor}");

        var expected = submitted
            .OrderByDescending(t => t.CreatedAt.ToUnixTimeMilliseconds())
            .ThenByDescending(t => t.Id)
            .Select(t => (t.Id, t.UserId))
            .ToList();
        var listed = Items(first).Concat(Items(second).Take(2))
            .Select(t => (t.GetProperty("id").GetGuid(), t.GetProperty("user_id").GetString()!))
            .ToList();
        Assert.Equal(expected, listed);
        Assert.Equal(4, Items(first).Count);
        Assert.All(Items(first), t => Assert.Equal("syft", t.GetProperty("task_type").GetString()));
        Assert.All(Items(first), t => Assert.True(t.TryGetProperty("attempt_count", out _), t.ToString()));
    }

    [Fact]
    public async Task ListAll_StatusFilter_OnlyThatStatusFromEveryUser()
    {
        using var heidi = User();
        using var ivan = User();
        var refusedHeidi = (await heidi.SubmitAcceptedAsync("refuse/operator:1")).GetProperty("id").GetGuid();
        var done = (await heidi.SubmitAcceptedAsync("operator/done:1")).GetProperty("id").GetGuid();
        var refusedIvan = (await ivan.SubmitAcceptedAsync("refuse/operator:2")).GetProperty("id").GetGuid();
        await heidi.WaitForStatusAsync(refusedHeidi, "failed");
        await heidi.WaitForStatusAsync(done, "succeeded");
        await ivan.WaitForStatusAsync(refusedIvan, "failed");

        using var ops = Operator();
        var failed = Items(await ops.GetJsonAsync("/operator/tasks?status=failed&limit=100"));

        Assert.Equal(
            [(refusedIvan, ivan.UserId), (refusedHeidi, heidi.UserId)],
            failed.Take(2).Select(t => (t.GetProperty("id").GetGuid(), t.GetProperty("user_id").GetString())));
        Assert.All(failed, t => Assert.Equal("failed", t.GetProperty("status").GetString()));
        Assert.DoesNotContain(failed, t => t.GetProperty("id").GetGuid() == done);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?status=lost", "status")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?stauts=failed", "stauts")]
    [InlineData("?limit=1&limit=2", "limit")]
    public async Task ListAll_BadQuery_400NamingTheParameter(string query, string parameter)
    {
        using var ops = Operator();

        using var response = await ops.SendAsync(HttpMethod.Get, "/operator/tasks" + query);

        var problem = await ProblemAssert.IsProblemAsync(response, 400, Cancellation);
        Assert.Equal([parameter], ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task ListTasks_Operator_StillListsOnlyTheirOwnTasks()
    {
        using var ops = Operator();
        using var judy = User();
        var theirs = (await judy.SubmitAcceptedAsync("operator/other:1")).GetProperty("id").GetGuid();
        var own = (await ops.SubmitAcceptedAsync("operator/own:1")).GetProperty("id").GetGuid();

        var listed = Items(await ops.GetJsonAsync("/tasks?limit=100"));

        Assert.Equal(own, Assert.Single(listed).GetProperty("id").GetGuid());
        Assert.DoesNotContain(listed, task => task.GetProperty("id").GetGuid() == theirs);
        Assert.False(listed[0].TryGetProperty("user_id", out _), "GET /tasks keeps its shape.");
    }

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private GatewayClient User() => new(factory.CreateClient(), $"user-{Guid.NewGuid():N}");

    private GatewayClient Operator() => new(factory.CreateClient(), CoHostedGatewayFactory.OperatorUserId);
}

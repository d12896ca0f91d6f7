using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Tasks;

[Collection(CoHostedGatewayGroup.Name)]
public sealed class TaskListingTests(CoHostedGatewayFactory factory)
{
    [Fact]
    public async Task List_FivePagedByTwo_EveryTaskOnceNewestFirst()
    {
        using var carol = User();
        var submitted = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add((await carol.SubmitAcceptedAsync($"page/image:{i}")).GetProperty("id").GetGuid());
        }

        var pages = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await carol.GetJsonAsync(cursor is null ? "/tasks?limit=2" : $"/tasks?limit=2&cursor={cursor}");
            pages.Add(page);
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        var listed = pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(Enumerable.Reverse(submitted), listed.Select(t => t.GetProperty("id").GetGuid()));
        Assert.All(listed, t => Assert.Equal("syft", t.GetProperty("task_type").GetString()));
        Assert.Equal(JsonValueKind.Null, pages[^1].GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task List_StatusFilter_OnlyTasksInThatState()
    {
        using var dave = User();
        var done = (await dave.SubmitAcceptedAsync("filter/done:1")).GetProperty("id").GetGuid();
        var refused = (await dave.SubmitAcceptedAsync("refuse/filter:1")).GetProperty("id").GetGuid();
        await dave.WaitForStatusAsync(done, "succeeded");
        await dave.WaitForStatusAsync(refused, "failed");

        var succeeded = await dave.GetJsonAsync("/tasks?status=succeeded");
        var failed = await dave.GetJsonAsync("/tasks?status=failed");

        Assert.Equal(done, Assert.Single(succeeded.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(refused, Assert.Single(failed.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task List_NoTasks_EmptyPageWithoutCursor()
    {
        using var erin = User();

        var page = await erin.GetJsonAsync("/tasks");

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task List_AnotherUsersTasks_NeverListed()
    {
        using var frank = User();
        using var grace = User();
        await frank.SubmitAcceptedAsync("private:1");

        var page = await grace.GetJsonAsync("/tasks");

        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    private GatewayClient User() => new(factory.CreateClient(), $"user-{Guid.NewGuid():N}");
}

using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Operators;

/// <summary>What the API description says about <c>GET /operator/tasks</c>.</summary>
public sealed class OperatorOpenApiTests(NoClusterGatewayFactory factory) : IClassFixture<NoClusterGatewayFactory>
{
    [Fact]
    public async Task OpenApiDocument_OperatorTasks_IdentitySchemeQueryAndEveryAnswer()
    {
        using var document = await GetDocumentAsync();

        var operation = document.RootElement.GetProperty("paths").GetProperty("/operator/tasks").GetProperty("get");

        var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
        Assert.True(requirement.TryGetProperty("user", out _), requirement.ToString());
        Assert.Equal(
            ["cursor", "limit", "status"],
            operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        Assert.Equal(
            ["200", "400", "401", "403", "503"],
            operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.Contains("OperatorUsers", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_OperatorTaskItems_CarryTheUserId()
    {
        using var document = await GetDocumentAsync();

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var item = schemas.GetProperty("OperatorTaskSummaryResponse").GetProperty("properties");
        Assert.True(item.TryGetProperty("user_id", out _), item.ToString());
        Assert.True(item.TryGetProperty("created_at", out _), item.ToString());
        var page = schemas.GetProperty("OperatorTaskListResponse").GetProperty("properties");
        Assert.True(page.TryGetProperty("next_cursor", out _), page.ToString());
    }

    private async Task<JsonDocument> GetDocumentAsync()
    {
        using var http = factory.CreateClient();
        var json = await http.GetStringAsync("/docs/v1/openapi.json", TestContext.Current.CancellationToken);
        return JsonDocument.Parse(json);
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Http;

/// <summary>Settings change what the gateway does: another identity header, a smaller body limit.</summary>
public sealed class ConfiguredGatewayTests : IDisposable
{
    private readonly NoClusterGatewayFactory _baseFactory = new();
    private readonly WebApplicationFactory<Program> _factory;

    public ConfiguredGatewayTests()
    {
        _factory = _baseFactory.WithWebHostBuilder(builder => builder
            .UseSetting("TaskQueue:Gateway:UserHeader", "X-Remote-User")
            .UseSetting("TaskQueue:Gateway:MaxRequestBodyBytes", "2048"));
    }

    [Fact]
    public async Task UserHeader_Configured_IsTheOneRequired()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
        request.Headers.Add("X-User-Id", "alice");

        using var response = await client.SendAsync(request, cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 401, cancellationToken);
        Assert.Contains("X-Remote-User", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserHeader_Configured_IsTheOneSwaggerAsksFor()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _factory.CreateClient();

        var json = await client.GetStringAsync("/docs/v1/openapi.json", cancellationToken);

        using var document = JsonDocument.Parse(json);
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("user");
        Assert.Equal("X-Remote-User", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public async Task MaxRequestBodyBytes_Configured_RefusesLargerBodies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _factory.CreateClient();
        var json = "{\"task_request\": {\"task_type\": \"syft\", \"params\": {\"docker_image_id\": \""
            + new string('a', 2100) + "\"}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tasks")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-Remote-User", "alice");

        using var response = await client.SendAsync(request, cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 413, cancellationToken);
        Assert.Contains("2048 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _baseFactory.Dispose();
    }
}

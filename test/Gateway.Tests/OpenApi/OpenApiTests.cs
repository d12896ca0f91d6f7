using System.Net;
using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.OpenApi;

public sealed class OpenApiTests(NoClusterGatewayFactory factory) : IClassFixture<NoClusterGatewayFactory>
{
    [Fact]
    public async Task OpenApiDocument_Served_NamesTheIdentityHeaderScheme()
    {
        using var document = await GetDocumentAsync();

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("user");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-User-Id", scheme.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/tasks", "post")]
    [InlineData("/tasks", "get")]
    [InlineData("/tasks/{id}", "get")]
    [InlineData("/tasks/{id}/cancel", "post")]
    [InlineData("/tasks/{id}/result", "get")]
    [InlineData("/task-types", "get")]
    public async Task OpenApiDocument_CallerOperations_RequireTheIdentityScheme(string path, string method)
    {
        using var document = await GetDocumentAsync();

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
        Assert.True(requirement.TryGetProperty("user", out _), requirement.ToString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task OpenApiDocument_HealthProbes_NeedNoIdentity(string path)
    {
        using var document = await GetDocumentAsync();

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get");
        Assert.False(operation.TryGetProperty("security", out _));
    }

    [Fact]
    public async Task OpenApiDocument_Submit_DescribesBodyAndIdempotencyKey()
    {
        using var document = await GetDocumentAsync();

        var submit = document.RootElement.GetProperty("paths").GetProperty("/tasks").GetProperty("post");
        Assert.Contains(
            submit.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        var schemaRef = submit.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString();
        Assert.EndsWith("/SubmitTaskRequest", schemaRef, StringComparison.Ordinal);
        var properties = document.RootElement.GetProperty("components").GetProperty("schemas")
            .GetProperty("SubmitTaskRequest").GetProperty("properties");
        Assert.True(properties.TryGetProperty("task_request", out _), properties.ToString());
    }

    [Fact]
    public async Task OpenApiDocument_Submit_HasAnExampleThatWorks()
    {
        using var document = await GetDocumentAsync();

        var example = document.RootElement.GetProperty("paths").GetProperty("/tasks").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var request = example.GetProperty("task_request");
        Assert.Equal("syft", request.GetProperty("task_type").GetString());
        Assert.Equal("ubuntu:24.04", request.GetProperty("params").GetProperty("docker_image_id").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_ListTasks_TypesLimitAndStatus()
    {
        using var document = await GetDocumentAsync();

        var parameters = document.RootElement.GetProperty("paths").GetProperty("/tasks").GetProperty("get")
            .GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        var limit = parameters["limit"].GetProperty("schema");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(1, limit.GetProperty("minimum").GetInt32());
        Assert.Equal(100, limit.GetProperty("maximum").GetInt32());
        Assert.Equal(20, limit.GetProperty("default").GetInt32());
        var status = parameters["status"].GetProperty("schema");
        Assert.Equal(
            ["queued", "running", "retrying", "succeeded", "failed", "cancelled"],
            status.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_Result_NamesTheMediaTypesOfResults()
    {
        using var document = await GetDocumentAsync();

        var ok = document.RootElement.GetProperty("paths").GetProperty("/tasks/{id}/result").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(
            ["application/vnd.cyclonedx+json", "application/spdx+json", "application/octet-stream"],
            ok.EnumerateObject().Select(c => c.Name));
        Assert.All(ok.EnumerateObject(), c => Assert.Equal("binary", c.Value.GetProperty("schema")
            .GetProperty("format").GetString()));
    }

    [Fact]
    public async Task SwaggerUi_StockInitializer_IsNotServed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        using var initializer = await client.GetAsync("/docs/swagger-initializer.js", cancellationToken);
        var index = await client.GetStringAsync("/docs/index.html", cancellationToken);

        await ProblemAssert.IsProblemAsync(initializer, 404, cancellationToken);
        Assert.DoesNotContain("swagger-initializer.js", index, StringComparison.Ordinal);
        Assert.DoesNotContain("petstore", index, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SwaggerUi_Served_AtDocs()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/docs/index.html", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
    }

    private async Task<JsonDocument> GetDocumentAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/docs/v1/openapi.json", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }
}

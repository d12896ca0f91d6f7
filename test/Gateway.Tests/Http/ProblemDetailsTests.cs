using System.Net;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Http;

/// <summary>Errors the framework answers (unknown routes, wrong methods) look like the gateway's own.</summary>
public sealed class ProblemDetailsTests(NoClusterGatewayFactory factory) : IClassFixture<NoClusterGatewayFactory>
{
    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/tasks/0192f0c1-a2b3-7c4d-8e9f-0a1b2c3d4e5f/attempts")]
    [InlineData("/docs/v2/openapi.json")]
    public async Task UnknownRoute_AnyCaller_NotFoundProblem(string path)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path, cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, (int)HttpStatusCode.NotFound, cancellationToken);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.5", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("DELETE", "/tasks", "GET, POST")]
    [InlineData("PUT", "/tasks/0192f0c1-a2b3-7c4d-8e9f-0a1b2c3d4e5f", "GET")]
    [InlineData("GET", "/tasks/0192f0c1-a2b3-7c4d-8e9f-0a1b2c3d4e5f/cancel", "POST")]
    [InlineData("POST", "/task-types", "GET")]
    public async Task WrongMethod_AnyCaller_MethodNotAllowedProblemWithAllow(string method, string path, string allow)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-User-Id", "alice");

        using var response = await client.SendAsync(request, cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 405, cancellationToken);
        Assert.Contains(method, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Problem_AnyError_CarriesSnakeCaseTraceId()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/tasks", cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 401, cancellationToken);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        Assert.False(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task ClusterUnavailable_503_LogsTheRouteTemplateAndTheProblemsTraceId()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks/0192f0c1-a2b3-7c4d-8e9f-0a1b2c3d4e5f");
        request.Headers.Add("X-User-Id", "trace-test");

        using var response = await client.SendAsync(request, cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 503, cancellationToken);
        var traceId = problem.GetProperty("trace_id").GetString()!;
        var logged = factory.Log.Events.Where(e => e.EventId == 1002 && e.Message.Contains(traceId, StringComparison.Ordinal)).ToList();
        var message = Assert.Single(logged).Message;
        Assert.Contains("GET /tasks/{id} for user trace-test", message, StringComparison.Ordinal);
    }
}

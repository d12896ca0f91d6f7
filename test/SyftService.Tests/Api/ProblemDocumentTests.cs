using System.Text;
using System.Text.Json;
using TaskQueue.SyftService.Tests.Support;

namespace TaskQueue.SyftService.Tests.Api;

/// <summary>
/// Problem documents name their trace id <c>trace_id</c>, as the gateway's do: the API is snake_case everywhere,
/// and an operator following one request across both finds the same member.
/// </summary>
public sealed class ProblemDocumentTests
{
    public static TheoryData<string, string, string?, int> Requests => new()
    {
        { "POST", "/", """{"docker_image_id": "--help"}""", 400 },
        { "POST", "/", "not json", 415 },
        { "GET", "/", null, 405 },
        { "GET", "/nothing-here", null, 404 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Problem_AnyError_CarriesTraceIdInSnakeCase(string method, string path, string? body, int status)
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(new Dictionary<string, string?>
        {
            [ServiceUnderTest.Section + "Engine"] = "Syft",
            [ServiceUnderTest.Section + "SyftPath"] = engine.ExecutablePath,
        });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            var mediaType = body.StartsWith('{') ? "application/json" : "text/plain";
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        using var response = await service.Client.SendAsync(request, deadline.Token);
        var text = await response.Content.ReadAsStringAsync(deadline.Token);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.False(problem.RootElement.TryGetProperty("traceId", out _), text);
        Assert.True(problem.RootElement.TryGetProperty("trace_id", out var traceId), text);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", traceId.GetString());
    }
}

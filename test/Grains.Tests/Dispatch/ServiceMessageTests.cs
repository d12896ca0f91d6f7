using System.Net;
using System.Text;
using TaskQueue.Grains.Dispatch;
using Xunit;

namespace TaskQueue.Grains.Tests.Dispatch;

public sealed class ServiceMessageTests
{
    [Fact]
    public async Task ReadAsync_ProblemDocument_UsesDetail()
    {
        using var response = Respond(HttpStatusCode.NotFound,
            """{"type":"about:blank","title":"Not Found","status":404,"detail":"Image 'ubuntud' was not found."}""",
            "application/problem+json");

        var message = await ServiceMessage.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal("HTTP 404: Image 'ubuntud' was not found.", message);
    }

    [Fact]
    public async Task ReadAsync_ProblemWithoutDetail_UsesTitle()
    {
        using var response = Respond(HttpStatusCode.BadRequest, """{"title":"Bad reference"}""", "application/json");

        var message = await ServiceMessage.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal("HTTP 400: Bad reference", message);
    }

    [Fact]
    public async Task ReadAsync_PlainText_UsesTextWithoutControlCharacters()
    {
        using var response = Respond(HttpStatusCode.BadGateway, "upstream\r\nbroke\u0007", "text/plain");

        var message = await ServiceMessage.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal("HTTP 502: upstream  broke", message);
    }

    [Fact]
    public async Task ReadAsync_HugeBody_IsCutToAKilobyte()
    {
        using var response = Respond(HttpStatusCode.InternalServerError, new string('x', 1_000_000), "text/plain");

        var message = await ServiceMessage.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.InRange(message.Length, 1024, 1040);
        Assert.EndsWith("…", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_NamesTheStatus()
    {
        using var response = Respond(HttpStatusCode.ServiceUnavailable, "", "text/plain");

        var message = await ServiceMessage.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal("HTTP 503 Service Unavailable", message);
    }

    private static HttpResponseMessage Respond(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), ReasonPhrase = ReasonOf(status) };

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        _ => status.ToString(),
    };
}

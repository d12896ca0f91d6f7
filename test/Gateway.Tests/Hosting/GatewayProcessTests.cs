using System.Net;
using System.Net.Sockets;
using System.Text;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Hosting;

/// <summary>The gateway as a real process on a real socket, with no cluster to talk to.</summary>
public sealed class GatewayProcessTests(GatewayProcess gateway) : IClassFixture<GatewayProcess>
{
    [Fact]
    public async Task Process_NoCluster_ListensAliveButNotReady()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var alive = await client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        await ProblemAssert.IsProblemAsync(ready, 503, cancellationToken);
    }

    [Fact]
    public async Task Process_UserHeaderWithRawUtf8Bytes_ValidationProblem()
    {
        var answer = await SendRawAsync(
            "GET /tasks HTTP/1.1\r\nHost: x\r\nX-User-Id: j"u8.ToArray()
                .Concat("\u00fc"u8.ToArray())
                .Concat("rgen\r\nConnection: close\r\n\r\n"u8.ToArray())
                .ToArray());

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("\"X-User-Id\":[", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ChunkedBodyOverTheLimit_PayloadTooLargeProblem()
    {
        var request = new StringBuilder(
            "POST /tasks HTTP/1.1\r\nHost: x\r\nX-User-Id: alice\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (var i = 0; i < 20; i++)
        {
            request.Append("1000\r\n").Append('a', 4096).Append("\r\n");
        }

        request.Append("0\r\n\r\n");

        var answer = await SendRawAsync(Encoding.ASCII.GetBytes(request.ToString()));

        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        Assert.Contains("larger than 65536 bytes", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_HeadOfAResult_HeadersWithoutABody()
    {
        const string Rest = " /tasks/nope/result HTTP/1.1\r\nHost: x\r\nX-User-Id: a\r\nConnection: close\r\n\r\n";

        var get = await SendRawAsync(Encoding.ASCII.GetBytes("GET" + Rest));
        var head = await SendRawAsync(Encoding.ASCII.GetBytes("HEAD" + Rest));

        Assert.StartsWith("HTTP/1.1 404 ", get, StringComparison.Ordinal);
        Assert.NotEmpty(get[(get.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.StartsWith("HTTP/1.1 404 ", head, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", head, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", head, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kestrel refuses a request line or header block over its limits while it parses, before any middleware
    /// runs, and ASP.NET Core has no hook to shape that answer: these are the only errors without problem details
    /// (docs/architecture.md, HTTP section). This test notices the day that changes.
    /// </summary>
    [Theory]
    [InlineData(9_000, 0, 414)]
    [InlineData(0, 40_000, 431)]
    public async Task Process_OverKestrelsLimits_BareStatusWithoutABody(int pathLength, int headerLength, int status)
    {
        var request = $"GET /tasks/{new string('a', pathLength)} HTTP/1.1\r\nHost: x\r\nX-User-Id: alice\r\n"
            + (headerLength > 0 ? $"X-Padding: {new string('b', headerLength)}\r\n" : "")
            + "Connection: close\r\n\r\n";

        var answer = await SendRawAsync(Encoding.ASCII.GetBytes(request));

        Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0", answer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("problem+json", answer, StringComparison.Ordinal);
    }

    private async Task<string> SendRawAsync(byte[] request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, gateway.Port), timeout.Token);
        await socket.SendAsync(request, SocketFlags.None, timeout.Token);

        var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }
}

using System.Globalization;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Systems;

/// <summary>
/// The shared no-op task endpoint (peers/noop-server.js, the one Celery and Hangfire drive too) on a free
/// loopback port: it answers every POST at once and counts what it served at <c>/count</c>.
/// </summary>
internal sealed class NoopEndpoint : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ExternalProcess _process;

    private NoopEndpoint(ExternalProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The URL task types point at.</summary>
    public Uri TaskUrl => new($"http://127.0.0.1:{Port}/task");

    public int ProcessId => _process.Id;

    public static async Task<NoopEndpoint> StartAsync(string script, CancellationToken cancellationToken)
    {
        if (!File.Exists(script))
        {
            throw new FileNotFoundException(
                $"The no-op endpoint {script} is missing; pass its path with --noop-server.", script);
        }

        var port = FreePort.Next();
        var process = ExternalProcess.Start(
            "node",
            [script],
            new Dictionary<string, string?> { ["PORT"] = port.ToString(CultureInfo.InvariantCulture), ["DELAY_MS"] = "0" },
            name: "noop-server");
        var endpoint = new NoopEndpoint(process, port);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                await endpoint.CountAsync(deadline.Token);
                return endpoint;
            }
            catch (HttpRequestException) when (!process.HasExited)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }

    /// <summary>How many requests it has answered so far.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{Port}/count"), cancellationToken);
        return long.Parse(text, CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

using System.Globalization;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// The gateway as its own process, built output run with <c>dotnet</c>, listening on a loopback port: what
/// Kestrel does with raw bytes and signals, which an in-memory test server never sees.
/// </summary>
public sealed class GatewayProcess : IAsyncLifetime
{
    private readonly string _resultsFolder = Path.Combine(Path.GetTempPath(), $"taskqueue-gateway-{Guid.NewGuid():N}");
    private ExternalProcess? _process;

    public int Port { get; } = FreePort.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public ExternalProcess Process => _process ?? throw new InvalidOperationException("The gateway is not started.");

    public async ValueTask InitializeAsync()
    {
        // The tests' own output folder is bin/<Configuration>/net10.0; the gateway's is built alongside it.
        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testFolder.Parent!.Name;
        var folder = Path.Combine(RepositoryPaths.Root, "src", "Gateway", "bin", configuration, "net10.0");
        var dll = Path.Combine(folder, "TaskQueue.Gateway.dll");
        Assert.True(File.Exists(dll), $"The gateway is not built at {dll}.");

        _process = ExternalProcess.Start(
            "dotnet",
            [dll, "--urls", BaseAddress.ToString()],
            new Dictionary<string, string?>
            {
                // Nothing listens there: the gateway runs without a cluster.
                ["TaskQueue__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["TaskQueue__Results__LocalFolder__Path"] = _resultsFolder,
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Orleans"] = "Error",
            },
            workingDirectory: folder,
            name: "gateway");

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(
                _process.HasExited,
                $"The gateway exited at start:{Environment.NewLine}{_process.RecentOutput}");
            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (Directory.Exists(_resultsFolder))
        {
            Directory.Delete(_resultsFolder, recursive: true);
        }
    }
}

using System.Globalization;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// The real silo as its own process (the built <c>src/Silo</c>), on loopback ports of its own, with its SQLite
/// file and result folder in <paramref name="dataFolder"/>: what a gateway in client mode connects to.
/// </summary>
public sealed class SiloProcess(string dataFolder, Uri taskServiceEndpoint) : IAsyncDisposable
{
    private ExternalProcess? _process;

    public int SiloPort { get; } = FreePort.Next();

    public int GatewayPort { get; } = FreePort.Next();

    public int HttpPort { get; } = FreePort.Next();

    public string ResultsFolder => Path.Combine(dataFolder, "results");

    public ExternalProcess Process => _process ?? throw new InvalidOperationException("The silo is not started.");

    /// <summary>Starts the silo (again, after a kill) and waits until its health endpoint answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var folder = Path.Combine(RepositoryPaths.Root, "src", "Silo", "bin", testFolder.Parent!.Name, "net10.0");
        var dll = Path.Combine(folder, "TaskQueue.Silo.dll");
        Assert.True(File.Exists(dll), $"The silo is not built at {dll}.");

        _process = ExternalProcess.Start(
            "dotnet",
            [dll, "--urls", $"http://127.0.0.1:{HttpPort}"],
            new Dictionary<string, string?>
            {
                ["TaskQueue__Cluster__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture),
                ["TaskQueue__Cluster__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
                ["TaskQueue__Storage__Embedded__DatabasePath"] = Path.Combine(dataFolder, "tasks.db"),
                ["TaskQueue__Results__LocalFolder__Path"] = ResultsFolder,
                ["TaskQueue__TaskTypes__syft__Endpoint"] = taskServiceEndpoint.ToString(),
                ["DOTNET_ENVIRONMENT"] = "Production",
            },
            workingDirectory: folder,
            name: "silo");

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(_process.HasExited, $"The silo exited at start:{Environment.NewLine}{_process.RecentOutput}");
            try
            {
                using var response = await client.GetAsync(
                    new Uri($"http://127.0.0.1:{HttpPort}/healthz"),
                    deadline.Token);
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

    /// <summary>SIGKILL: the silo vanishes as in a crash.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        Process.Kill();
        await Process.WaitForExitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

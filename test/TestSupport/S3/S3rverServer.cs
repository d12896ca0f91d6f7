using System.Net.Sockets;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.TestSupport.S3;

/// <summary>
/// A real S3-compatible server: s3rver (npm) on 127.0.0.1 with its data in a temporary folder, stopped by its
/// process id and its folder removed when disposed. Signatures use the fixed credentials S3RVER/S3RVER.
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    /// <summary>How a developer gets s3rver where the tests look for it; .ci/run installs it the same way.</summary>
    public const string InstallHint =
        "install it from the repository root with `npm install --prefix tools/s3rver s3rver@3.7.1`";

    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    private readonly ExternalProcess _process;

    private S3rverServer(ExternalProcess process, int port, string dataFolder)
    {
        _process = process;
        Port = port;
        DataFolder = dataFolder;
    }

    /// <summary>The folder the tests expect s3rver's package in.</summary>
    public static string PackageFolder =>
        Path.Combine(RepositoryPaths.ToolsFolder, "s3rver", "node_modules", "s3rver", "bin");

    /// <summary>s3rver's command-line entry point.</summary>
    public static string ScriptPath => Path.Combine(PackageFolder, "s3rver.js");

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Host and port, the form S3 clients take.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Where s3rver keeps buckets and objects.</summary>
    public string DataFolder { get; }

    /// <summary>The operating system's id of the node process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts s3rver with <paramref name="node"/> and waits until it accepts connections.</summary>
    public static async Task<S3rverServer> StartAsync(string node, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // Another test may take the free port before s3rver binds it: then s3rver exits and we try another.
            var port = FreePort.Next();
            var dataFolder = Directory.CreateTempSubdirectory("taskqueue-s3rver-").FullName;
            var process = ExternalProcess.Start(
                node,
                [ScriptPath, "-d", dataFolder, "-a", "127.0.0.1", "-p", port.ToString(), "--silent"],
                name: "s3rver");
            if (await WaitUntilListeningAsync(process, port, cancellationToken))
            {
                return new S3rverServer(process, port, dataFolder);
            }

            failures.Add($"attempt {attempt} on port {port}:{Environment.NewLine}{process.RecentOutput}");
            await process.DisposeAsync();
            Directory.Delete(dataFolder, recursive: true);
        }

        throw new InvalidOperationException(
            $"s3rver did not start ({ScriptPath}).{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>Kills s3rver (by process id) and removes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; the temporary folder is cleaned by the system.
        }
    }

    private static async Task<bool> WaitUntilListeningAsync(
        ExternalProcess process,
        int port,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        while (!process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, deadline.Token);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(ProbeInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return false;
    }
}

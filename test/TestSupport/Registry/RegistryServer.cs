using System.Globalization;
using System.Net;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.Tools;

namespace TaskQueue.TestSupport.Registry;

/// <summary>
/// A real OCI registry (Debian's <c>docker-registry</c>, the distribution project's registry 2.x) on
/// 127.0.0.1 with filesystem storage in a temporary folder and a configuration of our own: no authentication
/// unless a token service is given (the packaged configuration turns htpasswd on; it is never used). Stopped
/// by its process id and its storage deleted on dispose.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    /// <summary>How to install the registry where it is missing.</summary>
    public const string InstallHint = "apt-get install docker-registry";

    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private readonly ExternalProcess _process;
    private readonly string _folder;

    private RegistryServer(ExternalProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The registry as image references name it: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The base address of its HTTP API (plain HTTP).</summary>
    public Uri BaseAddress => new($"http://{Host}/");

    /// <summary>The registry process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the registry wrote lately, for failure messages.</summary>
    public string RecentOutput => _process.RecentOutput;

    /// <summary>
    /// Starts a registry on a free loopback port and waits until <c>/v2/</c> answers. Skips the test (fails it
    /// under CI) where <c>docker-registry</c> is not installed.
    /// </summary>
    public static async Task<RegistryServer> StartAsync(
        RegistryTokenAuthentication? tokenAuthentication,
        CancellationToken cancellationToken)
    {
        var executable = RequiredTools.Require("docker-registry", InstallHint);
        Exception? lastFailure = null;
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var folder = Directory.CreateTempSubdirectory("taskqueue-registry-").FullName;
            var port = FreePort.Next();
            var config = Path.Combine(folder, "config.yml");
            await File.WriteAllTextAsync(config, Configuration(folder, port, tokenAuthentication), cancellationToken);
            var process = ExternalProcess.Start(executable, ["serve", config], name: "docker-registry");
            var server = new RegistryServer(process, folder, port);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
                return server;
            }
            catch (RegistryNotReadyException exception)
            {
                // The port was taken between choosing it and binding it, or the registry failed: try afresh.
                lastFailure = exception;
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        throw new InvalidOperationException($"docker-registry did not start in {StartAttempts} attempts.", lastFailure);
    }

    /// <summary>Starts a registry without authentication.</summary>
    public static Task<RegistryServer> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(tokenAuthentication: null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static string Configuration(string folder, int port, RegistryTokenAuthentication? token)
    {
        // A fixed secret keeps upload sessions valid however the registry is reached; it protects nothing here.
        var text = $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(folder, "storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}
              secret: taskqueue-tests-only
            """;
        if (token is not null)
        {
            text += $"""

                auth:
                  token:
                    realm: {token.Realm}
                    service: {token.Service}
                    issuer: {token.Issuer}
                    rootcertbundle: {token.RootCertificateBundlePath}
                """;
        }

        return text + "\n";
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new RegistryNotReadyException($"docker-registry exited with code {_process.ExitCode}:"
                    + $"{Environment.NewLine}{_process.RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/v2/"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One probe timed out; the overall deadline decides.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new RegistryNotReadyException($"docker-registry did not answer /v2/ within {ReadyTimeout}:"
            + $"{Environment.NewLine}{_process.RecentOutput}");
    }

    private sealed class RegistryNotReadyException(string message) : Exception(message);
}

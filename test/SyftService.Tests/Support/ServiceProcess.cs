using System.Globalization;
using System.Net;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>
/// The built service (<c>TaskQueue.SyftService.dll</c>, copied next to the tests) run by <c>dotnet</c> as its own
/// process on a free loopback port, with settings given as environment variables exactly as a deployment
/// would give them. Killed by its process id on dispose.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly ExternalProcess _process;

    private ServiceProcess(ExternalProcess process, Uri baseAddress, string workFolder)
    {
        _process = process;
        BaseAddress = baseAddress;
        WorkFolder = workFolder;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public string WorkFolder { get; }

    public HttpClient Client { get; }

    public string RecentOutput => _process.RecentOutput;

    /// <summary>The service's own process id (the engines it starts have their own).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the service and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(
        IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken)
    {
        var process = Launch(environment, out var baseAddress, out var workFolder);
        var service = new ServiceProcess(process, baseAddress, workFolder);
        try
        {
            await service.WaitUntilHealthyAsync(cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the service expecting it to refuse to start; answers its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunExpectingFailureAsync(
        IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken)
    {
        await using var process = Launch(environment, out _, out var workFolder);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, process.RecentOutput);
        }
        finally
        {
            Directory.Delete(workFolder, recursive: true);
        }
    }

    /// <summary>
    /// SIGKILL to the service alone, as the kernel's OOM killer or <c>kill -9</c> would: its children are left
    /// to fend for themselves, unlike <see cref="DisposeAsync"/>, which kills the whole tree.
    /// </summary>
    public void KillServiceOnly()
    {
        using var service = System.Diagnostics.Process.GetProcessById(ProcessId);
        service.Kill(entireProcessTree: false);
        service.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(WorkFolder, recursive: true);
    }

    private static ExternalProcess Launch(
        IReadOnlyDictionary<string, string?> environment,
        out Uri baseAddress,
        out string workFolder)
    {
        var folder = AppContext.BaseDirectory;
        var dll = Path.Combine(folder, "TaskQueue.SyftService.dll");
        Assert.True(File.Exists(dll), $"The built service is not at {dll}.");
        workFolder = Directory.CreateTempSubdirectory("taskqueue-syft-process-").FullName;
        baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/");
        var all = new Dictionary<string, string?>(environment)
        {
            ["TaskQueue__SyftService__WorkFolder"] = workFolder,

            // The test host's own environment must not decide the service's.
            ["ASPNETCORE_ENVIRONMENT"] = null,
        };
        all.TryAdd("DOTNET_ENVIRONMENT", "Production");
        return ExternalProcess.Start(
            "dotnet",
            [dll, "--urls", baseAddress.ToString().TrimEnd('/'), "--contentRoot", folder],
            all,
            workingDirectory: folder,
            name: "syft-service");
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The service exited with {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await Client.GetAsync("/healthz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"The service did not become healthy within {ReadyTimeout}:{Environment.NewLine}{RecentOutput}");
    }
}

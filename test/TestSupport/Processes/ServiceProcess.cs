using TaskQueue.TestSupport.Network;

namespace TaskQueue.TestSupport.Processes;

/// <summary>
/// One of TaskQueue's own programs (silo, gateway, SyftService) run as a real process from its build output,
/// on loopback ports of its own, ready once its health URL answers.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _project;
    private readonly Dictionary<string, string?> _environment;
    private readonly string _healthPath;
    private ExternalProcess? _process;

    public ServiceProcess(string project, Dictionary<string, string?> environment, string healthPath = "/healthz", int? httpPort = null)
    {
        _project = project;
        _environment = environment;
        _healthPath = healthPath;
        HttpPort = httpPort ?? FreePort.Next();
    }

    /// <summary>The port its HTTP endpoints listen on (127.0.0.1).</summary>
    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Every line the program writes, from each start of it: a listener outlives restarts.</summary>
    public event Action<string>? LineWritten;

    /// <summary>The running process, while it runs.</summary>
    public ExternalProcess Process => _process ?? throw new InvalidOperationException($"{_project} is not running.");

    /// <summary>The build output of one of our projects, e.g. ("Silo", "TaskQueue.Silo.dll").</summary>
    public static string OutputOf(string project, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.", path);
    }

    /// <summary>Starts the process and waits until its health URL answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>(_environment) { ["DOTNET_NOLOGO"] = "1" };
        // Run in the build folder, where the program's appsettings.json files are: its content root.
        var assembly = OutputOf(_project, $"TaskQueue.{_project}.dll");
        // --urls, not ASPNETCORE_URLS: the programs' appsettings.json name a URL, and configuration files
        // outrank that variable while the command line outranks both.
        _process = ExternalProcess.Start(
            "dotnet", [assembly, "--urls", BaseAddress.ToString().TrimEnd('/')], environment, Path.GetDirectoryName(assembly), _project);
        _process.LineWritten += line => LineWritten?.Invoke(line);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{_project} exited with {_process.ExitCode} while starting:{Environment.NewLine}{_process.RecentOutput}");
            }

            try
            {
                using var response = await Probe.GetAsync(new Uri(BaseAddress, _healthPath), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe's own timeout; the deadline is checked below.
            }

            if (timeout.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{_project} did not become healthy in 60 s:{Environment.NewLine}{_process.RecentOutput}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>kill -9: no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the program shuts down in order; waits for it to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan deadline)
    {
        var process = Process;
        process.Terminate();
        using var timeout = new CancellationTokenSource(deadline);
        await process.WaitForExitAsync(timeout.Token);
        var exitCode = process.ExitCode;
        await process.DisposeAsync();
        _process = null;
        return exitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

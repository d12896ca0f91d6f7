using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// The real system as separate processes on loopback: one silo on the embedded store (a SQLite file in a
/// folder of its own) and one gateway that is an Orleans client of it. Task types are whatever the test
/// configures. The silo can be killed with SIGKILL and started again on the same files.
/// </summary>
public sealed class LocalSystem : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "taskqueue-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _siloEnvironment;
    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();
    private readonly int _siloHttpPort = FreePort.Next();
    private ServiceProcess? _silo;
    private ServiceProcess? _gateway;

    private LocalSystem(Dictionary<string, string?> taskTypes)
    {
        Directory.CreateDirectory(_folder);
        _siloEnvironment = new Dictionary<string, string?>(Shared())
        {
            ["TaskQueue__Storage__Embedded__DatabasePath"] = Path.Combine(_folder, "taskqueue.db"),
            ["TaskQueue__Cluster__SiloPort"] = _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TaskQueue__Recovery__ReminderPeriod"] = "00:00:03",
        };
        foreach (var (key, value) in taskTypes)
        {
            _siloEnvironment[key] = value;
        }
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Gateway => _gateway?.BaseAddress ?? throw new InvalidOperationException("The gateway is not running.");

    public string ResultsFolder => Path.Combine(_folder, "results");

    /// <summary>The port Orleans clients (the gateway, other .NET services) connect to.</summary>
    public int OrleansGatewayPort => _gatewayPort;

    /// <summary>Starts a silo and a gateway with these task type settings (environment variable names).</summary>
    public static async Task<LocalSystem> StartAsync(Dictionary<string, string?> taskTypes, CancellationToken cancellationToken)
    {
        var system = new LocalSystem(taskTypes);
        try
        {
            await system.StartSiloAsync(cancellationToken);
            system._gateway = new ServiceProcess("Gateway", system.Shared(), healthPath: "/readyz");
            await system._gateway.StartAsync(cancellationToken);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings of one task type as environment variables.</summary>
    public static Dictionary<string, string?> TaskType(string name, Uri endpoint, params (string Key, string Value)[] settings)
    {
        var prefix = $"TaskQueue__TaskTypes__{name}__";
        var variables = new Dictionary<string, string?> { [prefix + "Endpoint"] = endpoint.ToString() };
        foreach (var (key, value) in settings)
        {
            variables[prefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return variables;
    }

    public async Task StartSiloAsync(CancellationToken cancellationToken)
    {
        _silo = new ServiceProcess("Silo", _siloEnvironment, httpPort: _siloHttpPort);
        await _silo.StartAsync(cancellationToken);
    }

    /// <summary>SIGKILL: the silo gets no chance to finish anything.</summary>
    public async Task KillSiloAsync()
    {
        if (_silo is not null)
        {
            await _silo.KillAsync();
            _silo = null;
        }
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string userId, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Gateway, path));
        request.Headers.Add("X-User-Id", userId);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    /// <summary>Submits a task and answers the HTTP status and, when accepted, the task's id.</summary>
    public async Task<(HttpStatusCode Status, Guid? Id)> SubmitAsync(
        string userId,
        string taskType,
        Dictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "/tasks", userId,
            new { task_request = new { task_type = taskType, @params = parameters } });
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return (response.StatusCode, null);
        }

        using var task = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, task.RootElement.GetProperty("id").GetGuid());
    }

    /// <summary>The task as the gateway shows it, or null when it answers 404.</summary>
    public async Task<JsonElement?> GetAsync(Guid taskId, string userId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"/tasks/{taskId}", userId);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }

    /// <summary>Polls until the task's status is one of <paramref name="statuses"/>; tolerates a gateway without a silo.</summary>
    public async Task<JsonElement> WaitForStatusAsync(
        Guid taskId,
        string userId,
        TimeSpan deadline,
        CancellationToken cancellationToken,
        params string[] statuses)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        string? last = null;
        while (!timeout.IsCancellationRequested)
        {
            try
            {
                if (await GetAsync(taskId, userId, timeout.Token) is { } task)
                {
                    last = task.GetProperty("status").GetString();
                    if (statuses.Contains(last))
                    {
                        return task;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The gateway answers 503 while its silo is away; keep asking.
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                break;
            }

            await Task.Delay(100, CancellationToken.None);
        }

        throw new TimeoutException($"Task {taskId} never reached {string.Join("/", statuses)} in {deadline}; last status {last}.");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A process we started may still be closing a file; the temporary folder is reclaimed anyway.
        }
    }

    /// <summary>What silo and gateway must agree on.</summary>
    private Dictionary<string, string?> Shared() => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["TaskQueue__Cluster__GatewayPort"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TaskQueue__Results__LocalFolder__Path"] = ResultsFolder,
        ["Logging__LogLevel__Default"] = "Warning",
    };
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// A real cluster as separate processes on loopback: silos sharing one PostgreSQL database (tasks, reminders,
/// membership) and one result folder, and a gateway that finds them through the membership table. Any silo
/// can be killed (SIGKILL), stopped in order (SIGTERM) and started again on its own ports.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly string _results = Directory.CreateTempSubdirectory("taskqueue-cluster-").FullName;
    private readonly Dictionary<string, string?> _shared;
    private readonly List<SiloSlot> _silos = [];
    private readonly ConcurrentDictionary<Guid, int> _resultWrites = new();
    private ServiceProcess? _gateway;

    private ProcessCluster(string connectionString, Dictionary<string, string?> settings)
    {
        _shared = new Dictionary<string, string?>(settings)
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            // Event 3100, "Stored the result of task {id}", at Debug: the tests count every result write.
            ["Logging__LogLevel__TaskQueue.Silo.Results.LocalFolderResultStore"] = "Debug",
            ["TaskQueue__Storage__Provider"] = "PostgreSql",
            ["TaskQueue__Storage__PostgreSql__ConnectionString"] = connectionString,
            ["TaskQueue__Storage__PostgreSql__MaxPoolSize"] = "8",
            ["TaskQueue__Results__LocalFolder__Path"] = _results,
            ["TaskQueue__Cluster__ClusterId"] = "e2e-" + Guid.NewGuid().ToString("N")[..8],
        };
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Gateway => _gateway?.BaseAddress ?? throw new InvalidOperationException("The gateway is not running.");

    public string ResultsFolder => _results;

    /// <summary>How many times each task's result was written, by any silo, counted from the silos' logs.</summary>
    public IReadOnlyDictionary<Guid, int> ResultWrites => _resultWrites;

    /// <summary>Starts <paramref name="silos"/> silos and a gateway; settings are environment variables.</summary>
    public static async Task<ProcessCluster> StartAsync(
        string connectionString,
        int silos,
        Dictionary<string, string?> settings,
        CancellationToken cancellationToken)
    {
        var cluster = new ProcessCluster(connectionString, settings);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster._silos.Add(new SiloSlot(FreePort.Next(), FreePort.Next(), FreePort.Next()));
            }

            await Task.WhenAll(Enumerable.Range(0, silos).Select(i => cluster.StartSiloAsync(i, cancellationToken)));
            cluster._gateway = new ServiceProcess("Gateway", cluster._shared, healthPath: "/readyz");
            await cluster._gateway.StartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartSiloAsync(int index, CancellationToken cancellationToken)
    {
        var slot = _silos[index];
        var environment = new Dictionary<string, string?>(_shared)
        {
            ["TaskQueue__Cluster__SiloPort"] = slot.SiloPort.ToString(CultureInfo.InvariantCulture),
            ["TaskQueue__Cluster__GatewayPort"] = slot.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["TaskQueue__Cluster__AdvertisedAddress"] = "127.0.0.1",
        };
        slot.Process = new ServiceProcess("Silo", environment, httpPort: slot.HttpPort);
        slot.Process.LineWritten += CountResultWrite;
        await slot.Process.StartAsync(cancellationToken);
    }

    private void CountResultWrite(string line)
    {
        const string Stored = "Stored the result of task ";
        var at = line.IndexOf(Stored, StringComparison.Ordinal);
        var id = at + Stored.Length;
        if (at >= 0 && line.Length >= id + 36 && Guid.TryParse(line.AsSpan(id, 36), out var taskId))
        {
            _resultWrites.AddOrUpdate(taskId, 1, (_, writes) => writes + 1);
        }
    }

    /// <summary>SIGKILL: the silo gets no chance to finish or hand over anything.</summary>
    public async Task KillSiloAsync(int index)
    {
        if (_silos[index].Process is { } process)
        {
            await process.KillAsync();
            _silos[index].Process = null;
        }
    }

    /// <summary>SIGTERM: the silo stops in order, handing its tasks over; answers its exit code.</summary>
    public async Task<int> StopSiloAsync(int index)
    {
        var exitCode = await _silos[index].Process!.TerminateAsync(TimeSpan.FromSeconds(60));
        _silos[index].Process = null;
        return exitCode;
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

    /// <summary>
    /// Submits a task, with an idempotency key when given; answers the status and, when accepted (202, or 200 for a
    /// repeat of an accepted key), the id.
    /// </summary>
    public async Task<(HttpStatusCode Status, Guid? Id)> SubmitAsync(
        string userId,
        string taskType,
        CancellationToken cancellationToken,
        string? idempotencyKey = null)
    {
        using var request = Request(HttpMethod.Post, "/tasks", userId,
            new { task_request = new { task_type = taskType, @params = new Dictionary<string, string>() } });
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
        {
            return (response.StatusCode, null);
        }

        using var task = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, task.RootElement.GetProperty("id").GetGuid());
    }

    /// <summary>Polls until the task is final; tolerates answers from a gateway whose silos come and go.</summary>
    public async Task<JsonElement> WaitForFinalAsync(Guid taskId, string userId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        string? last = null;
        while (true)
        {
            try
            {
                using var response = await Http.SendAsync(Request(HttpMethod.Get, $"/tasks/{taskId}", userId), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    var task = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement.Clone();
                    last = task.GetProperty("status").GetString();
                    if (last is "succeeded" or "failed" or "cancelled")
                    {
                        return task;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The gateway may be between silos; ask again.
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Task {taskId} did not finish within {deadline}; last status {last}.");
            }

            await Task.Delay(200, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var silo in _silos.Where(s => s.Process is not null))
        {
            await silo.Process!.DisposeAsync();
        }

        Directory.Delete(_results, recursive: true);
    }

    private sealed class SiloSlot(int siloPort, int gatewayPort, int httpPort)
    {
        public int SiloPort { get; } = siloPort;

        public int GatewayPort { get; } = gatewayPort;

        public int HttpPort { get; } = httpPort;

        public ServiceProcess? Process { get; set; }
    }
}

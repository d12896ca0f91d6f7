using System.Globalization;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Systems;

/// <summary>
/// TaskQueue as an operator runs it: silo processes and a gateway process started from their build output
/// (<c>dotnet src/Silo/bin/.../TaskQueue.Silo.dll</c>), on loopback ports of their own, the gateway an Orleans
/// client of the silos. Counts the lines each process logs, to show log volume.
/// </summary>
internal sealed class ProcessSystem : IAsyncDisposable
{
    private readonly List<ServiceProcess> _silos = [];
    private ServiceProcess? _gateway;
    private long _loggedLines;

    private ProcessSystem()
    {
    }

    public Uri Gateway => _gateway?.BaseAddress ?? throw new InvalidOperationException("The gateway is not running.");

    /// <summary>Lines written by all processes since start.</summary>
    public long LoggedLines => Interlocked.Read(ref _loggedLines);

    /// <summary>The process ids of the silos.</summary>
    public IReadOnlyList<int> SiloProcessIds => [.. _silos.Select(s => s.Process.Id)];

    public int GatewayProcessId => _gateway?.Process.Id ?? 0;

    /// <summary>Starts <paramref name="silos"/> silos on the backend, then a gateway; settings are configuration keys.</summary>
    public static async Task<ProcessSystem> StartAsync(
        Backend backend,
        int silos,
        Dictionary<string, string?> settings,
        CancellationToken cancellationToken)
    {
        if (backend.Kind == BackendKind.Embedded && silos != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(silos), silos, "The embedded store serves one silo only.");
        }

        var system = new ProcessSystem();
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var common = BenchSettings.Merge(
            backend.SiloSettings(),
            settings,
            new Dictionary<string, string?>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            });
        try
        {
            var gatewayPort = 0;
            var starts = new List<Task>();
            for (var i = 0; i < silos; i++)
            {
                var siloGatewayPort = FreePort.Next();
                gatewayPort = gatewayPort == 0 ? siloGatewayPort : gatewayPort;
                var environment = BenchSettings.AsEnvironment(BenchSettings.Merge(
                    common, BenchSettings.Cluster(clusterId, FreePort.Next(), siloGatewayPort)));
                var silo = new ServiceProcess("Silo", environment);
                system._silos.Add(silo);
                starts.Add(system.StartAndCountAsync(silo, cancellationToken));
            }

            await Task.WhenAll(starts);

            // The gateway finds the embedded silo on this machine's gateway port, the others in the membership table.
            var gatewaySettings = BenchSettings.Merge(common, BenchSettings.Cluster(clusterId, 0, gatewayPort));
            gatewaySettings.Remove("TaskQueue:Cluster:SiloPort");
            gatewaySettings.Remove("TaskQueue:Cluster:AdvertisedAddress");
            system._gateway = new ServiceProcess("Gateway", BenchSettings.AsEnvironment(gatewaySettings), healthPath: "/readyz");
            await system.StartAndCountAsync(system._gateway, cancellationToken);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>CPU and writes of the silos together, and of the gateway.</summary>
    public (ProcessStats Silos, ProcessStats Gateway) Stats()
    {
        var silos = default(ProcessStats);
        foreach (var pid in SiloProcessIds)
        {
            silos += ProcessStats.Of(pid.ToString(CultureInfo.InvariantCulture));
        }

        return (silos, ProcessStats.Of(GatewayProcessId.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>What the processes wrote last, for a message when something went wrong.</summary>
    public string RecentOutput() =>
        string.Join(Environment.NewLine, _silos.Append(_gateway).OfType<ServiceProcess>()
            .Select(p => p.Process.RecentOutput));

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    private async Task StartAndCountAsync(ServiceProcess process, CancellationToken cancellationToken)
    {
        var starting = process.StartAsync(cancellationToken);

        // The process exists once StartAsync returned (unless starting failed at once): count its lines from then on.
        if (!starting.IsCompleted)
        {
            process.Process.LineWritten += _ => Interlocked.Increment(ref _loggedLines);
        }

        await starting;
    }
}

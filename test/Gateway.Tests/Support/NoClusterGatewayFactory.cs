using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// The real gateway in client mode, pointed at a loopback port where no silo listens: it starts, keeps trying
/// to connect, and answers every grain call with 503. A request the gateway refuses with anything else never
/// reached a grain, which is what the input validation tests rely on.
/// </summary>
public sealed class NoClusterGatewayFactory : WebApplicationFactory<Program>
{
    private readonly string _resultsFolder = Path.Combine(Path.GetTempPath(), $"taskqueue-gateway-{Guid.NewGuid():N}");

    /// <summary>The port the gateway tries to reach the cluster on; nothing listens there.</summary>
    public int ClusterPort { get; } = FreePort.Next();

    /// <summary>What the gateway logged at Warning and above.</summary>
    public MessageLog Log { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_resultsFolder))
        {
            Directory.Delete(_resultsFolder, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("TaskQueue:Cluster:GatewayPort", ClusterPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("TaskQueue:Results:LocalFolder:Path", _resultsFolder);
        builder.ConfigureLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(Log)

            // Orleans warns about every refused connection attempt, which is the point of this fixture.
            .AddFilter("Orleans", LogLevel.Error));
    }
}

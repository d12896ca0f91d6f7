using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TaskQueue.Silo.Hosting;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Hosting;

/// <summary>
/// Where a clustered silo (PostgreSQL membership) listens, as the kernel sees it: the listening sockets of
/// <c>/proc/net/tcp</c> for the silo and gateway ports of a real silo started through <c>AddTaskQueueSilo</c>.
/// </summary>
public sealed class SiloListenAddressTests(PostgreSqlDatabaseFixture fixture)
    : IClassFixture<PostgreSqlDatabaseFixture>, IDisposable
{
    private const string Loopback = "0100007F";
    private const string AnyAddress = "00000000";

    private readonly string _results = Directory.CreateTempSubdirectory("taskqueue-listen-").FullName;

    [Theory]
    [InlineData("false", Loopback)]
    [InlineData("true", AnyAddress)]
    public async Task StartAsync_ListenOnAnyAddress_SiloAndGatewayPortsBoundThere(string listenOnAny, string expected)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        using var host = Silo(listenOnAny, siloPort, gatewayPort);

        await host.StartAsync(timeout.Token);
        var silo = ListeningAddresses(siloPort);
        var gateway = ListeningAddresses(gatewayPort);
        await host.StopAsync(timeout.Token);

        Assert.Equal([expected], silo);
        Assert.Equal([expected], gateway);
    }

    public void Dispose() => Directory.Delete(_results, recursive: true);

    private IHost Silo(string listenOnAny, int siloPort, int gatewayPort)
    {
        // No default logging providers: tests print nothing.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:Provider"] = "PostgreSql",
            ["TaskQueue:Storage:PostgreSql:ConnectionString"] = fixture.ConnectionString,
            ["TaskQueue:Results:LocalFolder:Path"] = _results,
            ["TaskQueue:TaskTypes:echo:Endpoint"] = "http://127.0.0.1:9/",
            ["TaskQueue:Cluster:ClusterId"] = "listen-" + Guid.NewGuid().ToString("N")[..8],
            ["TaskQueue:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["TaskQueue:Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["TaskQueue:Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["TaskQueue:Cluster:ListenOnAnyAddress"] = listenOnAny,
            ["TaskQueue:Cluster:ShutdownTimeout"] = "00:00:05",
        });
        builder.AddTaskQueueSilo();
        return builder.Build();
    }

    /// <summary>
    /// The local addresses (hex, as the kernel writes them) of the IPv4 sockets listening on <paramref name="port"/>;
    /// an IPv6 socket would show in <c>/proc/net/tcp6</c> and counts as well, so it is read too.
    /// </summary>
    private static List<string> ListeningAddresses(int port)
    {
        const string Listen = "0A";
        var suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 3 && fields[3] == Listen && fields[1].EndsWith(suffix, StringComparison.Ordinal))
            .Select(fields => fields[1][..^suffix.Length])
            .ToList();
    }
}

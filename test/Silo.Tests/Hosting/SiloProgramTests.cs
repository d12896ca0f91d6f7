using System.Globalization;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.Tools;
using Xunit;

namespace TaskQueue.Silo.Tests.Hosting;

/// <summary>
/// The silo program refused by its settings, run as an operator runs it: the messages that name each setting,
/// exit code 1, no unhandled exception's stack trace (which ends in an abort, 134).
/// </summary>
public sealed class SiloProgramTests
{
    [Fact]
    public async Task Start_InvalidSettings_ExitsWithOneListingEachWithoutAStackTrace()
    {
        var (code, output) = await RunSiloAsync(
            new Dictionary<string, string?>
            {
                ["TaskQueue__Cluster__ClusterId"] = "has spaces",
                ["TaskQueue__Recovery__ReminderPeriod"] = "00:00:00",
            });

        Assert.Equal(1, code);
        Assert.Contains("TaskQueue.Silo cannot start; fix its settings:", output, StringComparison.Ordinal);
        Assert.Contains("(environment variable TaskQueue__Cluster__ClusterId)", output, StringComparison.Ordinal);
        Assert.Contains("(environment variable TaskQueue__Recovery__ReminderPeriod)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("migrate")]
    public async Task Start_UnknownStorageProvider_ExitsWithOneNamingTheSetting(string verb)
    {
        var (code, output) = await RunSiloAsync(
            new Dictionary<string, string?> { ["TaskQueue__Storage__Provider"] = "Postgres" },
            verb == "migrate" ? ["migrate"] : []);

        Assert.Equal(1, code);
        Assert.Contains("(environment variable TaskQueue__Storage__Provider)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SiloPortOfARunningSilo_ExitsWithOneAndTheRunningSiloStaysUp()
    {
        var folder = Directory.CreateTempSubdirectory("taskqueue-ports-").FullName;
        var siloPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        try
        {
            await using var running = new ServiceProcess("Silo", new Dictionary<string, string?>
            {
                ["TaskQueue__Storage__Embedded__DatabasePath"] = Path.Combine(folder, "first.db"),
                ["TaskQueue__Results__LocalFolder__Path"] = Path.Combine(folder, "results"),
                ["TaskQueue__Cluster__SiloPort"] = siloPort,
                ["TaskQueue__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            });
            await running.StartAsync(TestContext.Current.CancellationToken);

            var (code, output) = await RunSiloAsync(
                new Dictionary<string, string?>
                {
                    ["TaskQueue__Storage__Embedded__DatabasePath"] = Path.Combine(folder, "second.db"),
                    ["TaskQueue__Results__LocalFolder__Path"] = Path.Combine(folder, "results"),
                },
                siloPort: siloPort);

            Assert.Equal(1, code);
            Assert.Contains($"TaskQueue:Cluster:SiloPort {siloPort} is already in use", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.False(running.Process.HasExited, "The running silo stopped.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_HttpPortInUse_ExitsWithOneNamingTheAddress()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("taskqueue-http-").FullName;
        try
        {
            var silo = ServiceProcess.OutputOf("Silo", "TaskQueue.Silo.dll");
            var (code, output) = await ExternalProcess.RunAsync(
                "dotnet",
                [silo, "--urls", $"http://127.0.0.1:{port}"],
                TimeSpan.FromSeconds(60),
                new Dictionary<string, string?>
                {
                    ["TaskQueue__Storage__Embedded__DatabasePath"] = Path.Combine(folder, "tasks.db"),
                    ["TaskQueue__Results__LocalFolder__Path"] = Path.Combine(folder, "results"),
                    ["TaskQueue__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                    ["TaskQueue__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                },
                Path.GetDirectoryName(silo),
                TestContext.Current.CancellationToken);

            var ending = StartFailureMessage(output);
            Assert.Equal(1, code);
            Assert.Contains($"127.0.0.1:{port}", ending, StringComparison.Ordinal);
            Assert.Contains("address already in use", ending, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_DatabaseOutOfReach_ExitsWithOneSayingWhatToCheckWithoutAStackTrace()
    {
        // A port where nothing listens: PostgreSQL refuses at once.
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var (code, output) = await RunSiloAsync(new Dictionary<string, string?>
        {
            ["TaskQueue__Storage__Provider"] = "PostgreSql",
            ["TaskQueue__Storage__PostgreSql__ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=tq;Username=tq;Timeout=3",
            ["TaskQueue__Cluster__AdvertisedAddress"] = "127.0.0.1",
        });

        // Orleans and the host log the failure with its exception as they stop; the program's own word is the reason.
        var ending = StartFailureMessage(output);
        Assert.Equal(1, code);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:" + port, ending, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__PostgreSql__ConnectionString", ending, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ending, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A machine whose only network is loopback (a laptop offline, a container without network): a network namespace
    /// of its own (<c>unshare -n</c>), where Orleans finds no address to advertise.
    /// </summary>
    [Fact]
    public async Task Start_ClusterOnMachineWithLoopbackOnlyAndNoAdvertisedAddress_SaysToSetIt()
    {
        var unshare = RequiredTools.Require("unshare", "apt-get install util-linux");
        var (isolated, isolation) = await ExternalProcess.RunAsync(
            unshare, ["-n", "true"], TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        if (isolated != 0)
        {
            Assert.Skip($"unshare -n is not permitted here (it needs root or user namespaces): {isolation}");
        }

        var silo = ServiceProcess.OutputOf("Silo", "TaskQueue.Silo.dll");
        var (code, output) = await ExternalProcess.RunAsync(
            unshare,
            ["-n", "dotnet", silo, "--urls", "http://127.0.0.1:0"],
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string?>
            {
                ["TaskQueue__Storage__Provider"] = "PostgreSql",
                // Never reached: the silo stops while its host is built.
                ["TaskQueue__Storage__PostgreSql__ConnectionString"] = "Host=127.0.0.1;Database=taskqueue;Username=tq",
            },
            Path.GetDirectoryName(silo),
            TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        Assert.Contains("(environment variable TaskQueue__Cluster__AdvertisedAddress)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The program's own message and its reason line. Its logs (stdout, written in the background) may still
    /// interleave after it on stderr, so only the line that follows the header is its.
    /// </summary>
    private static string StartFailureMessage(string output)
    {
        var lines = output.Split('\n');
        var header = Array.FindLastIndex(lines, line => line.StartsWith("TaskQueue.Silo could not start:", StringComparison.Ordinal));
        Assert.True(header >= 0 && header + 1 < lines.Length, $"No start failure message in:{Environment.NewLine}{output}");
        return lines[header] + "\n" + lines[header + 1];
    }

    private static async Task<(int ExitCode, string Output)> RunSiloAsync(
        Dictionary<string, string?> environment,
        string[]? arguments = null,
        string? siloPort = null)
    {
        var silo = ServiceProcess.OutputOf("Silo", "TaskQueue.Silo.dll");

        // Ports of its own: were the settings accepted after all, the silo would take nothing of anyone's.
        environment["TaskQueue__Cluster__SiloPort"] = siloPort ?? FreePort.Next().ToString(CultureInfo.InvariantCulture);
        environment["TaskQueue__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        return await ExternalProcess.RunAsync(
            "dotnet",
            [silo, .. arguments ?? [], "--urls", "http://127.0.0.1:0"],
            TimeSpan.FromSeconds(60),
            environment,
            Path.GetDirectoryName(silo),
            TestContext.Current.CancellationToken);
    }
}

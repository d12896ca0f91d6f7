using System.Globalization;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
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

    private static async Task<(int ExitCode, string Output)> RunSiloAsync(
        Dictionary<string, string?> environment,
        string[]? arguments = null)
    {
        var silo = ServiceProcess.OutputOf("Silo", "TaskQueue.Silo.dll");

        // Ports of its own: were the settings accepted after all, the silo would take nothing of anyone's.
        environment["TaskQueue__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
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

using System.Globalization;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using Xunit;

namespace TaskQueue.Gateway.Tests.Hosting;

/// <summary>
/// The gateway program refused by its settings, run as an operator runs it: the messages that name each setting,
/// exit code 1, no unhandled exception's stack trace (which ends in an abort, 134).
/// </summary>
public sealed class GatewayProgramTests
{
    [Fact]
    public async Task Start_InvalidSettings_ExitsWithOneListingEachWithoutAStackTrace()
    {
        var gateway = ServiceProcess.OutputOf("Gateway", "TaskQueue.Gateway.dll");

        var (code, output) = await ExternalProcess.RunAsync(
            "dotnet",
            [gateway, "--urls", "http://127.0.0.1:0"],
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string?>
            {
                ["TaskQueue__Gateway__UserHeader"] = "X User",
                ["TaskQueue__Cluster__ClusterId"] = "has spaces",
                // Were the settings accepted after all, the gateway would look for a cluster nobody runs.
                ["TaskQueue__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            },
            Path.GetDirectoryName(gateway),
            TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        Assert.Contains("TaskQueue.Gateway cannot start; fix its settings:", output, StringComparison.Ordinal);
        Assert.Contains("(environment variable TaskQueue__Gateway__UserHeader)", output, StringComparison.Ordinal);
        Assert.Contains("(environment variable TaskQueue__Cluster__ClusterId)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}

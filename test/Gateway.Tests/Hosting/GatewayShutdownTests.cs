using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Hosting;

/// <summary>An orderly stop (SIGTERM, as Kubernetes sends) while the gateway tries to reach the cluster.</summary>
public sealed class GatewayShutdownTests
{
    [Fact]
    public async Task Process_SigtermWhileConnecting_ExitsCleanlyAndQuickly()
    {
        await using var gateway = new GatewayProcess();
        await gateway.InitializeAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));

        gateway.Process.Terminate();
        await gateway.Process.WaitForExitAsync(timeout.Token);

        Assert.True(
            gateway.Process.ExitCode == 0,
            $"Exit code {gateway.Process.ExitCode}:{Environment.NewLine}{gateway.Process.RecentOutput}");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TaskQueue.TestSupport.Processes;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// Runs alone, after the other collections: each test starts and kills whole systems (three .NET processes), and
/// on two cores that load starves the timing-sensitive crash tests running beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunCommandStartAndStopGroup
{
    public const string Name = "run command start and stop";
}

/// <summary>
/// How <c>./taskqueue up</c> starts and stops, failures included: ports already taken, a part that does not start,
/// a part that dies, Ctrl-C. The real script runs the real programs (built by this project's references); the
/// failures are real too (a listening socket, an invalid setting, SIGKILL).
/// </summary>
[Collection(RunCommandStartAndStopGroup.Name)]
public sealed class RunCommandStartAndStopTests : IDisposable
{
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(45);

    private readonly string _folder = Directory.CreateTempSubdirectory("taskqueue-up-tests-").FullName;

    public static TheoryData<string> PortVariables => [.. UpCommand.PortVariables];

    [Theory]
    [MemberData(nameof(PortVariables))]
    public async Task Up_PortTaken_RefusesBeforeStartingAnythingNamingTheVariable(string variable)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        up.Environment[variable] = PortOf(listener);

        var (exitCode, output) = await up.RunToEndAsync(RefusalDeadline, cancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"({variable}) is already in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain(UpCommand.UpLine, output, StringComparison.Ordinal);
        Assert.Empty(Logs());
    }

    /// <summary>What a tester met: another TaskQueue's gateway answered the readiness probe for ours.</summary>
    [Fact]
    public async Task Up_GatewayPortAnsweredByAnotherServer_RefusesInsteadOfCallingItUp()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var other = ReadyServer.Start(IPAddress.Loopback);
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        up.Environment["TASKQUEUE_PORT"] = other.Port;

        var (exitCode, output) = await up.RunToEndAsync(RefusalDeadline, cancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("(TASKQUEUE_PORT) is already in use on 127.0.0.1", output, StringComparison.Ordinal);
        Assert.DoesNotContain(UpCommand.UpLine, output, StringComparison.Ordinal);
    }

    /// <summary>The gateway listens on localhost, which Kestrel binds on ::1 as well.</summary>
    [Fact]
    public async Task Up_GatewayPortTakenOnIpv6LoopbackOnly_Refuses()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var other = ReadyServer.Start(IPAddress.IPv6Loopback);
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        up.Environment["TASKQUEUE_PORT"] = other.Port;

        var (exitCode, output) = await up.RunToEndAsync(RefusalDeadline, cancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("(TASKQUEUE_PORT) is already in use on ::1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_SyftServiceRefusesItsSettings_NamesItAndShowsItsOwnLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        up.Environment["TaskQueue__SyftService__MaxConcurrentScans"] = "0";

        var (exitCode, output) = await up.RunToEndAsync(StartDeadline, cancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SyftService did not start", output, StringComparison.Ordinal);
        Assert.Contains("syft-service.log:", output, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__SyftService__MaxConcurrentScans", output, StringComparison.Ordinal);
        Assert.DoesNotContain("The silo did not start", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_StartedAgainAfterAFailure_KeepsThePreviousRunsLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        up.Environment["TaskQueue__SyftService__MaxConcurrentScans"] = "0";

        var logFile = Path.Combine(_folder, "state", "logs", "syft-service.log");
        await up.RunToEndAsync(StartDeadline, cancellationToken);
        var first = await File.ReadAllTextAsync(logFile, cancellationToken);
        await up.RunToEndAsync(StartDeadline, cancellationToken);
        var both = await File.ReadAllTextAsync(logFile, cancellationToken);

        Assert.StartsWith(first, both, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentScans must be between 1 and 64", first, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentScans must be between 1 and 64", both[first.Length..], StringComparison.Ordinal);
        Assert.Equal(2, Count(both, "./taskqueue up starts SyftService"));
        Assert.Matches(@"==== \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} \./taskqueue up starts SyftService", both);
    }

    [Fact]
    public async Task Up_RelativeState_KeepsDataAndLogsUnderTheCallersFolder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var up = UpCommand.Create("relative-state");
        await using var process = up.Start(workingDirectory: _folder);

        await UpCommand.WaitUntilUpAsync(process, StartDeadline, cancellationToken);

        var state = Path.Combine(_folder, "relative-state");
        Assert.True(File.Exists(Path.Combine(state, "data", "taskqueue.db")), "No database under the caller's folder.");
        var logs = Directory.EnumerateFiles(Path.Combine(state, "logs")).Select(Path.GetFileName);
        Assert.Equal(["gateway.log", "silo.log", "syft-service.log"], logs.Order(StringComparer.Ordinal));
        Assert.Contains($"Logs are in {state}/logs", process.RecentOutput, StringComparison.Ordinal);
    }

    /// <summary>Ctrl-C (SIGINT), a stop by a service manager (SIGTERM), the terminal closing (SIGHUP).</summary>
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task Up_Signal_SaysStoppingStopsEveryPartAndSucceeds(string signal)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        await using var process = up.Start();
        await UpCommand.WaitUntilUpAsync(process, StartDeadline, cancellationToken);
        var parts = UpCommand.Children(process);

        var (killed, output) = await ExternalProcess.RunAsync(
            "kill",
            ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(10),
            cancellationToken: cancellationToken);
        Assert.True(killed == 0, output);
        var exitCode = await UpCommand.WaitForExitAsync(process, StopDeadline, cancellationToken);

        Assert.Equal(3, parts.Count);
        Assert.Equal(0, exitCode);
        Assert.Contains("Stopping TaskQueue", process.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped by itself", process.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(parts.Keys, UpCommand.IsRunning);
    }

    [Fact]
    public async Task Up_PartDiesByItself_StopsTheRestAndFailsNamingIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var up = UpCommand.Create(Path.Combine(_folder, "state"));
        await using var process = up.Start();
        await UpCommand.WaitUntilUpAsync(process, StartDeadline, cancellationToken);
        var parts = UpCommand.Children(process);
        var syftService = Assert.Single(
            parts,
            p => p.Value.Contains("TaskQueue.SyftService.dll", StringComparison.Ordinal));

        using (var victim = Process.GetProcessById(syftService.Key))
        {
            victim.Kill();
        }

        var exitCode = await UpCommand.WaitForExitAsync(process, StopDeadline, cancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SyftService stopped by itself", process.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Stopping TaskQueue", process.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(parts.Keys, UpCommand.IsRunning);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A part we started may still be closing a file; the temporary folder is reclaimed anyway.
        }
    }

    private IEnumerable<string> Logs()
    {
        var logs = Path.Combine(_folder, "state", "logs");
        return Directory.Exists(logs) ? Directory.EnumerateFiles(logs) : [];
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        var at = text.IndexOf(part, StringComparison.Ordinal);
        while (at >= 0)
        {
            count++;
            at = text.IndexOf(part, at + 1, StringComparison.Ordinal);
        }

        return count;
    }

    private static string PortOf(TcpListener listener) =>
        ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A loopback port that answers every HTTP request 200, as another TaskQueue's gateway answers /readyz: what
    /// made the run command report "up" for a gateway that never started.
    /// </summary>
    private sealed class ReadyServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private ReadyServer(TcpListener listener)
        {
            _listener = listener;
            _loop = Task.Run(AnswerAsync);
        }

        public string Port => PortOf(_listener);

        public static ReadyServer Start(IPAddress address)
        {
            var listener = new TcpListener(address, 0);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                listener.Server.DualMode = false;
            }

            try
            {
                listener.Start();
            }
            catch (SocketException exception)
            {
                listener.Dispose();
                Assert.Skip($"Cannot listen on {address} on this machine: {exception.Message}");
            }

            return new ReadyServer(listener);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException
                or ObjectDisposedException)
            {
                // Stopped.
            }

            _listener.Dispose();
            _stop.Dispose();
        }

        private async Task AnswerAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                try
                {
                    await AnswerAsync(client.GetStream());
                }
                catch (IOException)
                {
                    // The caller only knocked (a port check) or went away: on to the next one.
                }
            }
        }

        private async Task AnswerAsync(NetworkStream stream)
        {
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray();
            await stream.WriteAsync(answer, _stop.Token);
        }
    }
}

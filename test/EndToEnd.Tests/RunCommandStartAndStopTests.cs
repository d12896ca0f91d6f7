using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// How <c>./taskqueue up</c> starts and stops, failures included: ports already taken, a part that does not start,
/// a part that dies, Ctrl-C. The real script runs the real programs (built by this project's references); the
/// failures are real too (a listening socket, an invalid setting, SIGKILL).
/// </summary>
public sealed class RunCommandStartAndStopTests : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("taskqueue-up-tests-").FullName;

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
}

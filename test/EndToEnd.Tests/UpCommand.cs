using System.Globalization;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.Tools;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// <c>./taskqueue up</c> with ports of its own and a state folder of its own, without the build step: the tests of
/// this project build the programs first (they reference them), so the command runs what was just built.
/// </summary>
internal sealed class UpCommand
{
    public const string UpLine = "TaskQueue is up";

    public static readonly string[] PortVariables =
    [
        "TASKQUEUE_PORT", "TASKQUEUE_SYFT_PORT", "TASKQUEUE_SILO_HTTP_PORT", "TASKQUEUE_SILO_PORT",
        "TASKQUEUE_ORLEANS_GATEWAY_PORT",
    ];

    private UpCommand(string state)
    {
        State = state;
        foreach (var variable in PortVariables)
        {
            Environment[variable] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        }

        Environment["TASKQUEUE_STATE"] = state;
        Environment["TASKQUEUE_SKIP_BUILD"] = "1";
    }

    /// <summary>The variables the command runs with; tests add or change them before <see cref="Start"/>.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The state folder as given (relative ones are resolved against the working folder).</summary>
    public string State { get; }

    /// <summary>
    /// A command with fresh ports and <paramref name="state"/> as its state folder. Skips (with the reason) where
    /// it cannot run what the tests built: the command runs the Debug build, and needs an SBOM engine.
    /// </summary>
    public static UpCommand Create(string state)
    {
        if (!AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal))
        {
            Assert.Skip("./taskqueue up runs the Debug build; these tests were built in another configuration.");
        }

        RequiredTools.Require("trivy", "run ./taskqueue tools (it fetches Trivy into tools/trivy)",
            Path.Combine(RepositoryPaths.ToolsFolder, "trivy"));
        return new UpCommand(state);
    }

    /// <summary>Starts the command as a terminal would, with Ctrl-C's signal (SIGINT) handled by default.</summary>
    /// <remarks>
    /// A shell without job control starts its background commands with SIGINT ignored, and a process inherits
    /// that; bash cannot trap a signal ignored on entry. A test run launched that way (a CI runner, <c>cmd &amp;</c>
    /// in a script) would hand the script an ignored SIGINT that no user at a terminal has: <c>env</c> resets it,
    /// then runs the script in its own process, so the process id is the script's.
    /// <para>
    /// The command never runs from the repository: a relative state folder resolves against the working folder,
    /// and a run from the repository's root once left its logs there to be committed. A relative state needs
    /// <paramref name="workingDirectory"/>; without one the command runs from the temporary folder.
    /// </para>
    /// </remarks>
    public ExternalProcess Start(string? workingDirectory = null)
    {
        if (workingDirectory is null && !Path.IsPathRooted(State))
        {
            throw new InvalidOperationException(
                $"The state folder '{State}' is relative: give a working folder (a temporary one) to resolve it.");
        }

        return ExternalProcess.Start(
            "env",
            ["--default-signal=INT", Path.Combine(RepositoryPaths.Root, "taskqueue"), "up"],
            Environment,
            workingDirectory ?? Path.GetTempPath(),
            name: "taskqueue up");
    }

    /// <summary>Runs the command until it exits by itself; answers its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunToEndAsync(
        TimeSpan deadline,
        CancellationToken cancellationToken,
        string? workingDirectory = null)
    {
        await using var up = Start(workingDirectory);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await up.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"./taskqueue up still ran after {deadline}:{System.Environment.NewLine}{up.RecentOutput}");
        }

        return (up.ExitCode, up.RecentOutput);
    }

    /// <summary>Waits until the command says the system is up; fails with its output when it stops first.</summary>
    public static async Task WaitUntilUpAsync(
        ExternalProcess up,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        up.LineWritten += line =>
        {
            if (line.StartsWith(UpLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        if (up.RecentOutput.Contains(UpLine, StringComparison.Ordinal))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        var exited = up.WaitForExitAsync(timeout.Token);
        try
        {
            if (await Task.WhenAny(ready.Task, exited) != ready.Task)
            {
                await exited;
                Assert.Fail($"./taskqueue up stopped before it was up:{System.Environment.NewLine}{up.RecentOutput}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"./taskqueue up was not up within {deadline}:{System.Environment.NewLine}{up.RecentOutput}");
        }
    }

    /// <summary>Waits for the command to exit; answers its exit code.</summary>
    public static async Task<int> WaitForExitAsync(
        ExternalProcess up,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await up.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"./taskqueue up still ran {deadline} later:{System.Environment.NewLine}{up.RecentOutput}");
        }

        return up.ExitCode;
    }

    /// <summary>The parts the command started (its children running our programs), by process id and command line.</summary>
    /// <remarks>Only our programs: the script's own short-lived helpers (the <c>cat</c> that prints the banner) may
    /// still be running just after the banner appears.</remarks>
    public static IReadOnlyDictionary<int, string> Children(ExternalProcess up)
    {
        var children = new Dictionary<int, string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // The parent's id is the second field after the command name, which is in parentheses.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == up.Id
                    && commandLine.Contains("TaskQueue.", StringComparison.Ordinal))
                {
                    children[pid] = commandLine;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read, so not our child either.
            }
        }

        return children;
    }

    /// <summary>Whether a process still runs (a zombie waiting to be reaped counts as gone).</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}

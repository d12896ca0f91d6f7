using System.Globalization;
using TaskQueue.SyftService.Engines;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// Runs engines under coreutils <c>timeout</c>, so that the deadline holds even when this service is gone. The
/// service kills an engine at its deadline itself; but a service killed with SIGKILL kills nothing, and its engine,
/// adopted by init, would run until it ended by itself. <c>timeout</c> is a process of its own: it outlives the
/// service, sends SIGTERM to the engine's process group at the deadline and SIGKILL a little later.
/// </summary>
/// <param name="Path">The full path of <c>timeout</c>, or null to run engines directly.</param>
internal sealed record EngineTimeout(string? Path)
{
    /// <summary>What <c>timeout</c> exits with when the deadline passed and SIGTERM ended the engine.</summary>
    public const int TimedOutExitCode = 124;

    /// <summary>How long an engine gets between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);

    /// <summary>The command under <c>timeout</c> with the deadline, or unchanged when there is none.</summary>
    public EngineCommand Guard(EngineCommand command, TimeSpan deadline)
    {
        if (Path is null)
        {
            return command;
        }

        // "--" is not needed: timeout stops reading options at the duration, and the engine's path is absolute.
        string[] arguments =
        [
            $"--kill-after={Seconds(KillAfter)}",
            Seconds(deadline),
            command.FileName,
            .. command.Arguments,
        ];
        return command with { FileName = Path, Arguments = arguments };
    }

    private static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}

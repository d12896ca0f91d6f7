using System.Runtime.InteropServices;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// Kills a process group at once. <c>timeout</c> makes itself the leader of a new group, so its engine and every
/// process the engine starts are in that group, including one forked in the very moment of the kill, which a walk
/// of the process tree (read, then signal) can miss.
/// </summary>
internal static class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Sends SIGKILL to every process of the group led by <paramref name="leaderId"/>.</summary>
    /// <returns>False when no process of the group was left to signal.</returns>
    public static bool Kill(int leaderId) => SendSignal(-leaderId, SigKill) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int processId, int signal);
}

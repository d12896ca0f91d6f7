using System.Runtime.InteropServices;

namespace TaskQueue.TestSupport.Processes;

/// <summary>POSIX signals .NET has no API for: Process.Kill only sends SIGKILL.</summary>
internal static partial class NativeSignals
{
    public const int SigTerm = 15;

    /// <summary>kill(2): 0 on success.</summary>
    public static int Send(int processId, int signal) => Kill(processId, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}

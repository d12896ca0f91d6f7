using System.Globalization;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Profiling;

/// <summary>
/// Counts chosen system calls of this process with <c>perf stat</c> on the kernel's syscall tracepoints, from
/// <see cref="Start"/> until <see cref="StopAsync"/>: fsyncs, file creations and renames, writes, thread wake-ups.
/// </summary>
internal sealed class SyscallCounts(ExternalProcess perf)
{
    private static readonly string[] Calls =
        ["fsync", "fdatasync", "openat", "rename", "renameat2", "unlinkat", "write", "pwrite64", "sendmsg", "sendto", "futex"];

    public static SyscallCounts? Start()
    {
        if (TestSupport.Tools.RequiredTools.Find("perf") is null)
        {
            return null;
        }

        var events = string.Join(',', Calls.Select(c => "syscalls:sys_enter_" + c));
        return new SyscallCounts(ExternalProcess.Start(
            "perf",
            ["stat", "-x", ",", "-e", events, "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            name: "perf stat"));
    }

    /// <summary>Stops counting; answers each call's count (empty when perf could not count).</summary>
    public async Task<IReadOnlyDictionary<string, long>> StopAsync()
    {
        // perf stat prints its counts when interrupted, as after Ctrl-C.
        await ExternalProcess.RunAsync("kill", ["-INT", perf.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await perf.WaitForExitAsync(timeout.Token);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in perf.RecentOutput.Split('\n'))
        {
            var fields = line.Split(',');
            if (fields.Length > 2
                && fields[2].StartsWith("syscalls:sys_enter_", StringComparison.Ordinal)
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                counts[fields[2]["syscalls:sys_enter_".Length..]] = count;
            }
        }

        await perf.DisposeAsync();
        return counts;
    }
}

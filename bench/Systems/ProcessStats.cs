using System.Globalization;

namespace TaskQueue.Bench.Systems;

/// <summary>
/// What Linux counts for a process in /proc: CPU time and bytes written. Read before and after a phase, the
/// difference divided by the tasks of the phase is the cost per task.
/// </summary>
/// <param name="CpuMilliseconds">User plus system CPU time so far.</param>
/// <param name="WriteBytes">Bytes the process caused to be written to storage (page cache writeback included).</param>
/// <param name="WriteCalls">write-like system calls.</param>
internal readonly record struct ProcessStats(double CpuMilliseconds, long WriteBytes, long WriteCalls)
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat, 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static ProcessStats operator -(ProcessStats after, ProcessStats before) =>
        new(after.CpuMilliseconds - before.CpuMilliseconds, after.WriteBytes - before.WriteBytes, after.WriteCalls - before.WriteCalls);

    public static ProcessStats operator +(ProcessStats a, ProcessStats b) =>
        new(a.CpuMilliseconds + b.CpuMilliseconds, a.WriteBytes + b.WriteBytes, a.WriteCalls + b.WriteCalls);

    /// <summary>The counters of process <paramref name="pid"/> ("self" for this one); zero when it is gone.</summary>
    public static ProcessStats Of(string pid)
    {
        try
        {
            // Field 2 (the command) is in parentheses and may hold spaces: count fields after its closing one.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long writeBytes = 0;
            long writeCalls = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            {
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                {
                    writeBytes = long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("syscw:", StringComparison.Ordinal))
                {
                    writeCalls = long.Parse(line["syscw:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            return new ProcessStats(ticks * 1000 / TicksPerSecond, writeBytes, writeCalls);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    /// <summary>The counters of a process and all its children (PostgreSQL's backends are the postmaster's).</summary>
    public static ProcessStats OfTree(int pid)
    {
        var total = Of(pid.ToString(CultureInfo.InvariantCulture));
        foreach (var child in ChildrenOf(pid))
        {
            total += Of(child.ToString(CultureInfo.InvariantCulture));
        }

        return total;
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }
}

using System.Globalization;

namespace TaskQueue.Bench.Reporting;

/// <summary>The machine's load average: other work on these shared 2-core machines moves every figure.</summary>
internal static class MachineLoad
{
    /// <summary>The one-minute load average, or -1 where /proc/loadavg is not there.</summary>
    public static double OneMinute()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}

using System.Globalization;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Profiling;

/// <summary>
/// Linux <c>perf</c> sampling this process's CPU for a fixed time, then a report of where the samples fell: by
/// binary (kernel, .NET runtime and GC, JIT-compiled code, SQLite, ...) and by function. JIT-compiled .NET functions
/// get names only when the process started with <c>DOTNET_PerfMapEnabled=1</c> (run.sh sets it).
/// </summary>
internal sealed class PerfRecording(string dataFile, Task<(int ExitCode, string Output)> recording)
{
    public static PerfRecording? Start(TimeSpan duration, string folder)
    {
        if (TestSupport.Tools.RequiredTools.Find("perf") is null)
        {
            Reporting.Report.Note("perf is not installed: no CPU profile (apt-get install linux-perf)");
            return null;
        }

        var dataFile = Path.Combine(folder, "perf.data");
        var recording = ExternalProcess.RunAsync(
            "perf",
            ["record", "-F", "499", "-g", "-o", dataFile, "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                "--", "sleep", duration.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)],
            duration + TimeSpan.FromMinutes(1));
        return new PerfRecording(dataFile, recording);
    }

    /// <summary>Waits for the recording to end; answers the share of samples by binary and the top functions.</summary>
    public async Task<(IReadOnlyList<(string Binary, double Percent)> Binaries, string TopFunctions)> ReportAsync()
    {
        var (exitCode, output) = await recording;
        if (exitCode != 0)
        {
            return ([], "perf record failed: " + output);
        }

        var (_, byBinary) = await ExternalProcess.RunAsync(
            "perf", ["report", "-i", dataFile, "--stdio", "--no-children", "--sort", "dso", "--percent-limit", "0.5", "-g", "none"],
            TimeSpan.FromMinutes(2));
        var (_, byFunction) = await ExternalProcess.RunAsync(
            "perf", ["report", "-i", dataFile, "--stdio", "--no-children", "--sort", "dso,sym", "--percent-limit", "0.8", "-g", "none"],
            TimeSpan.FromMinutes(2));
        var binaries = new List<(string, double)>();
        foreach (var line in byBinary.Split('\n'))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#') || !text.Contains('%', StringComparison.Ordinal))
            {
                continue;
            }

            var percent = text[..text.IndexOf('%', StringComparison.Ordinal)];
            if (double.TryParse(percent, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                binaries.Add((text[(text.IndexOf('%', StringComparison.Ordinal) + 1)..].Trim(), value));
            }
        }

        var functions = string.Join('\n', byFunction.Split('\n').Where(l => l.Contains('%', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')));
        return (binaries, functions);
    }
}

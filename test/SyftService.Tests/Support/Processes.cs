using System.Globalization;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>Whether a process still runs, read from /proc (a zombie waiting to be reaped counts as gone).</summary>
internal static class Processes
{
    public static bool IsRunning(int processId)
    {
        var stat = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat";
        try
        {
            // The state letter follows the command name, which is in parentheses and may contain spaces.
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException
            or IOException)
        {
            return false;
        }
    }
}

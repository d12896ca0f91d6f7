using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using TaskQueue.SyftService.Engines;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// Runs an engine as a child process: argument list, its own environment only, stdin closed, a deadline, and the
/// whole process tree killed when the deadline passes or the request is abandoned.
/// </summary>
internal static class EngineRunner
{
    /// <summary>How much of stderr is kept: enough for the failure's last lines.</summary>
    private const int KeptErrorChars = 8 * 1024;

    /// <summary>How long to wait for a killed tree to be reaped and its pipes to close.</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    public static async Task<EngineRunResult> RunAsync(
        EngineCommand command,
        string workingDirectory,
        TimeSpan deadline,
        EngineTimeout guard,
        CancellationToken aborted)
    {
        using var process = new Process { StartInfo = StartInfo(guard.Guard(command, deadline), workingDirectory) };
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            return new EngineRunResult(EngineRunStatus.FailedToStart, -1, exception.Message);
        }

        process.StandardInput.Close();
        var stdout = DrainAsync(process.StandardOutput, keep: 0);
        var stderr = DrainAsync(process.StandardError, KeptErrorChars);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(deadline);
        var status = EngineRunStatus.Exited;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            status = aborted.IsCancellationRequested ? EngineRunStatus.Aborted : EngineRunStatus.TimedOut;
            KillTree(process, ownGroup: guard.Path is not null);
        }

        // A descendant that escaped the kill could hold the pipes open for ever: bound the wait for their end.
        var drained = Task.WhenAll(stdout, stderr);
        await Task.WhenAny(drained, Task.Delay(ReapTimeout, CancellationToken.None));
        var errorTail = drained.IsCompletedSuccessfully ? stderr.Result : "";
        var exitCode = process.HasExited ? process.ExitCode : -1;

        // Our own timer and timeout's start a moment apart: whichever fires first, the scan ran out of time.
        if (status == EngineRunStatus.Exited && guard.Path is not null && exitCode == EngineTimeout.TimedOutExitCode)
        {
            status = EngineRunStatus.TimedOut;
        }

        return new EngineRunResult(status, exitCode, errorTail);
    }

    private static ProcessStartInfo StartInfo(EngineCommand command, string workingDirectory)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in command.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static void KillTree(Process process, bool ownGroup)
    {
        if (ownGroup)
        {
            // Under timeout the engine's processes share timeout's group: one signal reaches them all.
            ProcessGroup.Kill(process.Id);
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the deadline and the kill: nothing left to stop.
        }
        catch (Win32Exception)
        {
            // Some of the tree was already gone; what remains was signalled.
        }

        process.WaitForExit(ReapTimeout);
    }

    /// <summary>Reads a stream to its end, keeping only its last <paramref name="keep"/> characters.</summary>
    private static async Task<string> DrainAsync(StreamReader reader, int keep)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (keep == 0)
            {
                continue;
            }

            tail.Append(buffer, 0, read);
            if (tail.Length > keep)
            {
                tail.Remove(0, tail.Length - keep);
            }
        }

        return tail.ToString();
    }
}

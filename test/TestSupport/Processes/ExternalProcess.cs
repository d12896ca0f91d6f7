using System.Collections.Concurrent;
using System.Diagnostics;

namespace TaskQueue.TestSupport.Processes;

/// <summary>
/// A real child process started by a test: argument list (never a shell), its own environment, output kept
/// for the failure message, and killed with its children when disposed.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _standardOutput = new();

    private ExternalProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>A short name for messages.</summary>
    public string Name { get; }

    /// <summary>The operating system's id of the process.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only meaningful once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Raised for every line the process writes to stdout or stderr.</summary>
    public event Action<string>? LineWritten;

    /// <summary>The last lines the process wrote, stdout and stderr interleaved.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Everything the process wrote to stdout alone: for programs that answer there.</summary>
    public string StandardOutput => string.Join(Environment.NewLine, _standardOutput);

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static ExternalProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string? name = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ExternalProcess(process, name ?? Path.GetFileName(fileName));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                started._standardOutput.Enqueue(e.Data);
            }

            started.Keep(e.Data);
        };
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs a command to its end and answers its exit code and output; throws past the deadline.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan deadline,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        await using var process = Start(fileName, arguments, environment, workingDirectory);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{process.Name} did not finish within {deadline}. Output:{Environment.NewLine}{process.RecentOutput}");
        }

        return (process.ExitCode, process.RecentOutput);
    }

    /// <summary>Waits for the process to exit.</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);

        // The parameterless wait drains the redirected output, so RecentOutput is complete afterwards.
        _process.WaitForExit();
    }

    /// <summary>Sends SIGKILL to the process and its children: what a crash looks like.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Sends SIGTERM: what an orderly stop (Ctrl-C, Kubernetes) looks like.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = NativeSignals.Send(_process.Id, NativeSignals.SigTerm);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // The process never started or is already gone: nothing left to stop.
        }
        catch (OperationCanceledException)
        {
            // It would not die within the deadline; the operating system reaps it with the test host.
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }

        LineWritten?.Invoke(line);
    }
}

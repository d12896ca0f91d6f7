using TaskQueue.Bench.Benchmarks;
using TaskQueue.Bench.Reporting;

namespace TaskQueue.Bench;

/// <summary>
/// <c>dotnet bench/bin/Release/net10.0/TaskQueue.Bench.dll COMMAND [--name value ...]</c>: measures and prints.
/// Commands: <c>store-writes</c>, <c>listing</c>, <c>throughput</c>. docs/benchmarks.md says what each measures.
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        BenchArguments arguments;
        Func<CancellationToken, Task> run;
        var report = new Report();
        try
        {
            arguments = BenchArguments.Parse(args);
            run = arguments.Command switch
            {
                "store-writes" => new StoreWritesBenchmark(report, arguments).RunAsync,
                "listing" => new ListingBenchmark(report, arguments).RunAsync,
                "throughput" => new ThroughputBenchmark(report, arguments).RunAsync,
                "profile" => new ProfileBenchmark(report, arguments).RunAsync,
                _ => throw new ArgumentException($"Unknown command '{arguments.Command}': store-writes, listing or throughput."),
            };
            arguments.ThrowOnUnknown();
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        // Ctrl-C stops the run in order, so that the servers and processes it started are stopped too.
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Report.Note($"{arguments.Command} started, load average {MachineLoad.OneMinute():F2}, {Environment.ProcessorCount} cores");
        try
        {
            await run(stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Stopped.");
            return 130;
        }
        finally
        {
            report.PrintSummary();
        }
    }
}

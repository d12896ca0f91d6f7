using System.Reflection;
using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Hosting;

/// <summary>
/// Runs a TaskQueue program so that settings it cannot start with end it with their messages and exit code 1,
/// instead of an unhandled exception's stack trace and an abort (134): the messages already name each setting and
/// its environment variable, and a stack trace only hides them.
/// </summary>
public static class ConfigurationErrors
{
    /// <summary>The exit code of a program refused by its settings.</summary>
    public const int ExitCode = 1;

    /// <summary>
    /// Builds the application with <paramref name="build"/>, validates its options, runs it; answers the exit code.
    /// <paramref name="program"/> is the program's assembly name, as its messages call it.
    /// </summary>
    public static async Task<int> RunAsync(string program, Func<WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return await ExitOnErrorAsync(program, async () =>
        {
            var app = build();

            // Validated before the host starts, which would log the failure with its stack trace first.
            app.Services.GetService<IStartupValidator>()?.Validate();
            try
            {
                await app.StartAsync();
            }
            catch (Exception exception) when (IsProcessOf(program) && StartFailures(exception) is { Count: > 0 } reasons)
            {
                // What our own start-up checks found (a database out of reach, a file held by another silo, an
                // unusable S3 bucket) already says what to fix; a stack trace would only bury it.
                await WriteAsync($"{program} could not start:", reasons);

                return ExitCode;
            }

            await app.WaitForShutdownAsync();
            return 0;
        });
    }

    /// <summary>
    /// The messages of what TaskQueue's own code refused at start (an <see cref="InvalidOperationException"/> or
    /// <see cref="IOException"/> raised in one of its namespaces) and of an HTTP address already in use, found through
    /// the wrappers Orleans and the host put around them; none for anything else, which keeps its stack trace.
    /// </summary>
    public static IReadOnlyList<string> StartFailures(Exception exception)
    {
        var reasons = new List<string>();
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            // Kestrel's "Failed to bind to address ...: address already in use" names the address to change.
            var portTaken = current is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException };
            if ((portTaken || (current is InvalidOperationException or IOException
                    && current.TargetSite?.DeclaringType?.Namespace?.StartsWith("TaskQueue.", StringComparison.Ordinal) == true))
                && !reasons.Contains(current.Message))
            {
                reasons.Add(current.Message);
                continue;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return reasons;
    }

    /// <summary>
    /// Runs <paramref name="run"/>; a configuration error is written to stderr and answered as 1.
    /// <paramref name="program"/> starts with the program's assembly name (<c>TaskQueue.Silo migrate</c>).
    /// </summary>
    public static async Task<int> ExitOnErrorAsync(string program, Func<Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return await run();
        }
        catch (Exception exception) when (IsProcessOf(program) && Failures(exception) is { Count: > 0 } failures)
        {
            await WriteAsync($"{program} cannot start; fix its settings:", failures);

            return ExitCode;
        }
    }

    // One write, so that the program's own log lines, written in the background, cannot land inside the message.
    private static Task WriteAsync(string header, IEnumerable<string> lines) =>
        Console.Error.WriteLineAsync(string.Join(Environment.NewLine, [header, .. lines.Select(line => "  " + line)]));

    // A host that calls the program's Main itself (WebApplicationFactory, in tests) gets the exception, as it
    // would from any host; only the program's own process turns it into a message and an exit code.
    private static bool IsProcessOf(string program) =>
        Assembly.GetEntryAssembly()?.GetName().Name is { } entry
        && (program == entry || program.StartsWith(entry + " ", StringComparison.Ordinal));

    /// <summary>Each failure of a configuration error, or none for any other exception.</summary>
    public static IReadOnlyList<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
        _ => [],
    };
}

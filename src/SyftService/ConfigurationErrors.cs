using System.Reflection;
using Microsoft.Extensions.Options;

namespace TaskQueue.SyftService;

/// <summary>
/// Runs the service so that settings it cannot start with end it with their messages and exit code 1, instead of
/// an unhandled exception's stack trace and an abort (134): the messages already name each setting and its
/// environment variable. The queue's programs do the same (<c>TaskQueue.Silo.Hosting.ConfigurationErrors</c>);
/// this service references none of the queue's code, so it has its own few lines.
/// </summary>
internal static class ConfigurationErrors
{
    public static async Task<int> RunAsync(Func<WebApplication> build)
    {
        try
        {
            var app = build();

            // Validated before the host starts, which would log the failure with its stack trace first.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (IsOwnProcess() && Failures(exception) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync("TaskQueue.SyftService cannot start; fix its settings:");
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"  {failure}");
            }

            return 1;
        }
    }

    // A host that calls Main itself (WebApplicationFactory, in tests) gets the exception, as it would from any
    // host; only the service's own process turns it into a message and an exit code.
    private static bool IsOwnProcess() => Assembly.GetEntryAssembly() == typeof(ConfigurationErrors).Assembly;

    private static List<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
        _ => [],
    };
}

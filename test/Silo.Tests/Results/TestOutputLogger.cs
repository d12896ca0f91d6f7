using Microsoft.Extensions.Logging;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>Writes log entries to the running test's output, so a failing test shows what the store said.</summary>
public sealed class TestOutputLogger<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var line = $"[{logLevel} {eventId.Id}] {formatter(state, exception)}";
        if (exception is not null)
        {
            line += $" ({exception.GetType().Name}: {exception.Message})";
        }

        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }
}

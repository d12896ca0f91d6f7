using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>Keeps the formatted message of every event the gateway logs, with its event id.</summary>
public sealed class MessageLog : ILoggerProvider
{
    public ConcurrentQueue<(int EventId, string Message)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Sink(Events);

    public void Dispose()
    {
    }

    private sealed class Sink(ConcurrentQueue<(int EventId, string Message)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}

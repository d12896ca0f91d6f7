using Microsoft.Extensions.Logging;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>One log event as <see cref="CapturingLoggerProvider"/> kept it.</summary>
internal sealed record CapturedLog(
    int EventId,
    LogLevel Level,
    string Message,
    IReadOnlyDictionary<string, string?> Values);

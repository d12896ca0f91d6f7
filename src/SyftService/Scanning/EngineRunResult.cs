namespace TaskQueue.SyftService.Scanning;

/// <summary>How an engine's run ended, with the last of what it wrote to stderr.</summary>
internal sealed record EngineRunResult(EngineRunStatus Status, int ExitCode, string StandardErrorTail);

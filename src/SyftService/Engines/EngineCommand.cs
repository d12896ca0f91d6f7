namespace TaskQueue.SyftService.Engines;

/// <summary>
/// A program to run with an argument list (never a shell) and the whole of its environment: nothing of the
/// service's own environment reaches it unless listed here.
/// </summary>
internal sealed record EngineCommand(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment);

namespace TaskQueue.SyftService.Scanning;

/// <summary>How an engine's run ended.</summary>
internal enum EngineRunStatus
{
    /// <summary>It exited by itself; see the exit code.</summary>
    Exited,

    /// <summary>It could not be started at all.</summary>
    FailedToStart,

    /// <summary>It ran past the deadline and was killed with its children.</summary>
    TimedOut,

    /// <summary>The request was abandoned (the caller went away) and it was killed with its children.</summary>
    Aborted,
}

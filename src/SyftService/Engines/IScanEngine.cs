namespace TaskQueue.SyftService.Engines;

/// <summary>A program that writes an SBOM of a registry image to a file.</summary>
internal interface IScanEngine
{
    /// <summary>A short name for messages, logs and metrics: <c>syft</c> or <c>trivy</c>.</summary>
    string Name { get; }

    /// <summary>The full path of the executable.</summary>
    string ExecutablePath { get; }

    /// <summary>The command for one scan; it may write files the engine reads into the scan's workspace.</summary>
    EngineCommand BuildCommand(EngineScan scan);
}

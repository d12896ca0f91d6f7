namespace TaskQueue.SyftService.Tests.Support;

/// <summary>What a stand-in engine does once it has recorded how it was called.</summary>
internal enum StandInBehaviour
{
    /// <summary>Writes a small SBOM in the format and to the file it was asked for, and exits 0.</summary>
    WriteSbom,

    /// <summary>Waits until the test releases it, then writes the SBOM.</summary>
    WaitForRelease,

    /// <summary>Starts a child that sleeps for minutes and waits for it: only a deadline ends it.</summary>
    Hang,

    /// <summary>Writes a panic (with the registry password it was given) to stderr and dies of SIGSEGV.</summary>
    Crash,
}

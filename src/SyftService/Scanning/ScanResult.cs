namespace TaskQueue.SyftService.Scanning;

/// <summary>A scan's answer: the SBOM stream (its owner disposes it), or a sentence saying what went wrong.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">One sentence for the caller; empty on success.</param>
/// <param name="RetryAfter">When to try again, for outcomes that may pass.</param>
/// <param name="Sbom">The SBOM, open for reading, when it succeeded.</param>
/// <param name="MediaType">The SBOM's media type, when it succeeded.</param>
internal sealed record ScanResult(
    ScanOutcome Outcome,
    string Detail,
    TimeSpan? RetryAfter = null,
    Stream? Sbom = null,
    string? MediaType = null);

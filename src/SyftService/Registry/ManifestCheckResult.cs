namespace TaskQueue.SyftService.Registry;

/// <summary>The manifest check's verdict with a sentence for the caller and, where it applies, when to retry.</summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="Message">One sentence for the caller; empty when the image was found.</param>
/// <param name="RetryAfter">When to try again (rate limits, unavailability), or null.</param>
/// <param name="Digest">The manifest's digest as the registry reported it, when found.</param>
internal sealed record ManifestCheckResult(
    ManifestCheckOutcome Outcome,
    string Message,
    TimeSpan? RetryAfter = null,
    string? Digest = null);

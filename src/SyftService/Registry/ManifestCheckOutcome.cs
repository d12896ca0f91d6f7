namespace TaskQueue.SyftService.Registry;

/// <summary>What the registry said about an image before any engine runs.</summary>
internal enum ManifestCheckOutcome
{
    /// <summary>The manifest exists: the scan may start.</summary>
    Found,

    /// <summary>No such repository, tag or digest, or no access to it even with a token.</summary>
    NotFound,

    /// <summary>The registry refused the reference itself as malformed (HTTP 400).</summary>
    InvalidReference,

    /// <summary>The registry's host name does not resolve.</summary>
    HostNotFound,

    /// <summary>The registry (or its token service) answered 429.</summary>
    RateLimited,

    /// <summary>Connection refused or reset, timeout, 408 or 5xx: it may pass.</summary>
    Unavailable,

    /// <summary>An answer no registry should give (a failed TLS handshake, an unexpected status).</summary>
    BadGateway,
}

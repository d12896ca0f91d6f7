namespace TaskQueue.SyftService.Scanning;

/// <summary>How a scan request ended; each maps to one HTTP status.</summary>
internal enum ScanOutcome
{
    /// <summary>200: the SBOM.</summary>
    Succeeded,

    /// <summary>400: the request or the reference is not valid (also when the registry says so).</summary>
    InvalidRequest,

    /// <summary>403: the registry is not in the allowed list.</summary>
    RegistryNotAllowed,

    /// <summary>404: no such repository, tag or digest (or no access to it).</summary>
    NotFound,

    /// <summary>422: the registry's host name does not resolve.</summary>
    RegistryHostNotFound,

    /// <summary>429: the registry rate-limits us.</summary>
    RateLimited,

    /// <summary>503: the registry cannot be reached or answers 5xx.</summary>
    RegistryUnavailable,

    /// <summary>502: the registry answered something no registry should.</summary>
    RegistryBadGateway,

    /// <summary>503: every scan slot of this instance is taken.</summary>
    Busy,

    /// <summary>504: the engine ran past the scan deadline.</summary>
    TimedOut,

    /// <summary>500: the engine crashed, exited non-zero or wrote no SBOM.</summary>
    EngineFailed,

    /// <summary>The caller went away; the engine was stopped. Nobody reads the answer.</summary>
    Aborted,
}

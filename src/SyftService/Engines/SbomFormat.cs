namespace TaskQueue.SyftService.Engines;

/// <summary>The SBOM formats this service answers in.</summary>
internal enum SbomFormat
{
    /// <summary><c>cyclonedx-json</c>: CycloneDX JSON, <c>application/vnd.cyclonedx+json</c>.</summary>
    CycloneDxJson,

    /// <summary><c>spdx-json</c>: SPDX JSON, <c>application/spdx+json</c>.</summary>
    SpdxJson,
}

using TaskQueue.SyftService.Engines;
using TaskQueue.SyftService.References;

namespace TaskQueue.SyftService.Scanning;

/// <summary>A validated request: the image and the SBOM format.</summary>
internal sealed record ScanRequest(ImageReference Image, SbomFormat Format);

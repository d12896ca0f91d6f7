using System.Globalization;

namespace TaskQueue.TestSupport.Images;

/// <summary>
/// One installed package of the test image, as its dpkg status file records it. SBOM engines disagree on where
/// the epoch goes (Trivy's CycloneDX keeps it out of the version and puts <c>epoch=N</c> in the purl; its SPDX
/// keeps it in the version), so both forms are offered.
/// </summary>
/// <param name="Name">The package name (<c>zlib1g</c>).</param>
/// <param name="Version">The full Debian version with its epoch if any (<c>1:1.2.13.dfsg-1</c>).</param>
/// <param name="Architecture">The architecture (<c>amd64</c>, <c>all</c>).</param>
/// <param name="Source">The source package's name, when the status file names one.</param>
public sealed record DebianPackage(string Name, string Version, string Architecture, string? Source)
{
    /// <summary>The epoch (the number before the first ':'), or null when the version has none.</summary>
    public int? Epoch
    {
        get
        {
            var colon = Version.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : int.Parse(Version[..colon], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The version without its epoch (<c>1.2.13.dfsg-1</c>).</summary>
    public string VersionWithoutEpoch
    {
        get
        {
            var colon = Version.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? Version : Version[(colon + 1)..];
        }
    }
}

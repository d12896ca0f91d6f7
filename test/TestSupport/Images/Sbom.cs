using System.Text.Json;

namespace TaskQueue.TestSupport.Images;

/// <summary>The packages an SBOM lists, in the form the test image's expected list can be compared with.</summary>
public static class Sbom
{
    /// <summary>
    /// The Debian packages of a CycloneDX SBOM as (name, version, epoch from the purl): Trivy puts the version
    /// without its epoch in <c>version</c> and the epoch in the purl's <c>epoch</c> qualifier.
    /// </summary>
    public static IReadOnlyList<string> CycloneDxDebianPackages(JsonElement bom) =>
        bom.GetProperty("components").EnumerateArray()
            .Where(c => Text(c, "purl")?.StartsWith("pkg:deb/", StringComparison.Ordinal) == true)
            .Select(c => Describe(Text(c, "name")!, Text(c, "version")!, Text(c, "purl")!))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The Debian packages of an SPDX document as (name, version, epoch from the purl): Trivy keeps the epoch in
    /// <c>versionInfo</c> and also in the purl.
    /// </summary>
    public static IReadOnlyList<string> SpdxDebianPackages(JsonElement document) =>
        document.GetProperty("packages").EnumerateArray()
            .Select(p => (Package: p, Purl: DebianPurl(p)))
            .Where(p => p.Purl is not null)
            .Select(p => Describe(Text(p.Package, "name")!, Text(p.Package, "versionInfo")!, p.Purl!))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The test image's packages in the form <see cref="CycloneDxDebianPackages"/> answers.</summary>
    public static IReadOnlyList<string> ExpectedForCycloneDx() =>
        TestImage.Packages.Select(p => $"{p.Name} {p.VersionWithoutEpoch} epoch={p.Epoch?.ToString() ?? "-"}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The test image's packages in the form <see cref="SpdxDebianPackages"/> answers.</summary>
    public static IReadOnlyList<string> ExpectedForSpdx() =>
        TestImage.Packages.Select(p => $"{p.Name} {p.Version} epoch={p.Epoch?.ToString() ?? "-"}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetString() : null;

    private static string? DebianPurl(JsonElement package) =>
        package.TryGetProperty("externalRefs", out var refs)
            ? refs.EnumerateArray()
                .Select(r => r.GetProperty("referenceLocator").GetString())
                .FirstOrDefault(l => l is not null && l.StartsWith("pkg:deb/", StringComparison.Ordinal))
            : null;

    private static string Describe(string name, string version, string purl)
    {
        var question = purl.IndexOf('?', StringComparison.Ordinal);
        var query = question < 0 ? "" : purl[(question + 1)..];
        var epoch = query.Split('&').FirstOrDefault(q => q.StartsWith("epoch=", StringComparison.Ordinal))?[6..] ?? "-";
        return $"{name} {version} epoch={epoch}";
    }
}

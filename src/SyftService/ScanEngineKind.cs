namespace TaskQueue.SyftService;

/// <summary>Which program makes the SBOM.</summary>
public enum ScanEngineKind
{
    /// <summary>Syft when it is installed, else Trivy.</summary>
    Auto,

    /// <summary>Anchore Syft (<c>syft scan</c>), the production engine.</summary>
    Syft,

    /// <summary>Aqua Security Trivy (<c>trivy image</c>), SBOM output only.</summary>
    Trivy,
}

using System.Runtime.Versioning;

// The tests start Linux programs (docker-registry, umoci, skopeo, Trivy, shell scripts) and read /proc.
[assembly: SupportedOSPlatform("linux")]

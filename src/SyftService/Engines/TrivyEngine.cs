using System.Globalization;

namespace TaskQueue.SyftService.Engines;

/// <summary>
/// Aqua Security Trivy in SBOM mode: <c>trivy image --image-src remote --format cyclonedx|spdx-json</c>. SBOM
/// formats turn vulnerability scanning off; the DB flags make sure it never downloads a database either, so a
/// scan works offline. Credentials reach it through a Docker config file in the scan's own folder.
/// </summary>
internal sealed class TrivyEngine(string executablePath) : IScanEngine
{
    /// <summary>Trivy's own timeout sits past ours, so that our deadline (504) is the one that fires.</summary>
    private static readonly TimeSpan OwnTimeoutMargin = TimeSpan.FromMinutes(1);

    public string Name => "trivy";

    public string ExecutablePath => executablePath;

    public EngineCommand BuildCommand(EngineScan scan)
    {
        var route = scan.Route;
        var timeoutSeconds = (long)Math.Ceiling((scan.Deadline + OwnTimeoutMargin).TotalSeconds);
        var arguments = new List<string>
        {
            "image",
            // The registry only: no Docker, containerd or Podman daemon is asked.
            "--image-src", "remote",
            "--format", scan.Format == SbomFormat.SpdxJson ? "spdx-json" : "cyclonedx",
            "--output", scan.Workspace.OutputFile,
            "--cache-dir", Path.Combine(scan.Workspace.Cache, "trivy"),
            "--skip-db-update",
            "--skip-java-db-update",
            "--offline-scan",
            "--no-progress",
            "--timeout", timeoutSeconds.ToString(CultureInfo.InvariantCulture) + "s",
        };
        if (route.PlainHttp)
        {
            arguments.Add("--insecure");
        }

        arguments.Add("--");
        arguments.Add(route.Image.ToEngineArgument());

        if (route.Credential is { } credential)
        {
            scan.Workspace.WriteDockerConfig(route.Host, credential);
        }

        return new EngineCommand(executablePath, arguments, scan.Workspace.BaseEnvironment());
    }
}

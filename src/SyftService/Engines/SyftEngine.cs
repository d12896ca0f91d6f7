namespace TaskQueue.SyftService.Engines;

/// <summary>
/// Anchore Syft, as its documentation describes it: <c>syft scan --from registry -o &lt;format&gt;=&lt;file&gt;
/// &lt;image&gt;</c>, configured through <c>SYFT_*</c> environment variables (registry credentials, plain HTTP,
/// cache folder, no update check), so that no secret is on the command line.
/// </summary>
internal sealed class SyftEngine(string executablePath) : IScanEngine
{
    public string Name => "syft";

    public string ExecutablePath => executablePath;

    public EngineCommand BuildCommand(EngineScan scan)
    {
        var route = scan.Route;
        var arguments = new List<string>
        {
            "scan",
            // The registry source only: no Docker or Podman daemon is asked, nothing on disk is read.
            "--from", "registry",
            "-o", $"{scan.Format.Name()}={scan.Workspace.OutputFile}",
            "--",
            route.Image.ToEngineArgument(),
        };

        var environment = scan.Workspace.BaseEnvironment();
        environment["SYFT_CHECK_FOR_APP_UPDATE"] = "false";
        environment["SYFT_CACHE_DIR"] = Path.Combine(scan.Workspace.Cache, "syft");
        if (route.PlainHttp)
        {
            environment["SYFT_REGISTRY_INSECURE_USE_HTTP"] = "true";
        }

        if (route.Credential is { } credential)
        {
            environment["SYFT_REGISTRY_AUTH_AUTHORITY"] = route.Host;
            environment["SYFT_REGISTRY_AUTH_USERNAME"] = credential.Username;
            environment["SYFT_REGISTRY_AUTH_PASSWORD"] = credential.Password;
        }

        return new EngineCommand(executablePath, arguments, environment);
    }
}

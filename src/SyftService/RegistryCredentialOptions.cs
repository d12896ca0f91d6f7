namespace TaskQueue.SyftService;

/// <summary>
/// Credentials for one registry, used for the service's own manifest check and handed to the engine without
/// appearing on its command line. Bound from <c>TaskQueue:SyftService:Registry:Credentials:N</c>.
/// </summary>
public sealed class RegistryCredentialOptions
{
    /// <summary>
    /// The registry host with its port if any, exactly as image references name it (<c>ghcr.io</c>,
    /// <c>registry.example.com:5000</c>); <c>docker.io</c> for Docker Hub. No default: required.
    /// </summary>
    public string Registry { get; set; } = "";

    /// <summary>The user name. No default: required.</summary>
    public string Username { get; set; } = "";

    /// <summary>The password or access token. No default: required. Never logged.</summary>
    public string Password { get; set; } = "";
}

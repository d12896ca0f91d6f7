namespace TaskQueue.SyftService.Scanning;

/// <summary>What of the service's own environment an engine may see.</summary>
internal static class EngineEnvironment
{
    /// <summary>
    /// Variables passed through unchanged: PATH (engines start helpers), proxies (registries behind one), and
    /// CA bundle locations (registries with a private CA). Everything else is withheld.
    /// </summary>
    public static readonly IReadOnlyList<string> PassedThrough =
    [
        "PATH",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
    ];
}

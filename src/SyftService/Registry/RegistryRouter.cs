using Microsoft.Extensions.Options;
using TaskQueue.SyftService.References;

namespace TaskQueue.SyftService.Registry;

/// <summary>Applies the registry settings to a reference: allowed or not, mirror, scheme, credentials.</summary>
internal sealed class RegistryRouter(IOptionsMonitor<RegistryOptions> options)
{
    /// <summary>
    /// The route for <paramref name="image"/>, or null with a reason when the registry is not allowed.
    /// </summary>
    public RegistryRoute? Route(ImageReference image, out string? refusal)
    {
        var settings = options.CurrentValue;
        refusal = null;
        if (!IsAllowed(settings, image.Domain))
        {
            refusal = $"This service does not fetch images from the registry '{image.Domain}'; "
                + $"it is limited to: {string.Join(", ", settings.AllowedRegistries)}.";
            return null;
        }

        var target = image;
        if (settings.DockerHubMirror.Length > 0 && RegistryHosts.IsDockerHub(image.Domain))
        {
            target = image.WithDomain(settings.DockerHubMirror);
        }

        var plainHttp = UsesPlainHttp(settings, target.Domain);
        var apiHost = RegistryHosts.IsDockerHub(target.Domain) ? RegistryHosts.DockerHubApiHost : target.Domain;
        var apiBase = new Uri($"{(plainHttp ? "http" : "https")}://{apiHost}/");
        var credential = settings.Credentials.FirstOrDefault(c => RegistryHosts.SameHost(c.Registry, target.Domain));
        return new RegistryRoute(image, target, apiBase, plainHttp, credential);
    }

    /// <summary>Whether <paramref name="host"/> (<c>host[:port]</c>) may be contacted at all.</summary>
    public static bool IsAllowed(RegistryOptions settings, string host) =>
        settings.AllowedRegistries.Count == 0
        || settings.AllowedRegistries.Any(allowed => RegistryHosts.SameHost(allowed, host));

    /// <summary>Whether <paramref name="host"/> (<c>host[:port]</c>) is reached over plain HTTP.</summary>
    public static bool UsesPlainHttp(RegistryOptions settings, string host) =>
        settings.InsecureRegistries.Any(r => RegistryHosts.SameHost(r, host))
        || (settings.AllowInsecureLoopback && RegistryHosts.IsLoopback(host));
}

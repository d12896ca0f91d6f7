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
        if (settings.AllowedRegistries.Count > 0
            && !settings.AllowedRegistries.Any(allowed => RegistryHosts.SameHost(allowed, image.Domain)))
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

        var plainHttp = settings.InsecureRegistries.Any(r => RegistryHosts.SameHost(r, target.Domain))
            || (settings.AllowInsecureLoopback && RegistryHosts.IsLoopback(target.Domain));
        var apiHost = RegistryHosts.IsDockerHub(target.Domain) ? RegistryHosts.DockerHubApiHost : target.Domain;
        var apiBase = new Uri($"{(plainHttp ? "http" : "https")}://{apiHost}/");
        var credential = settings.Credentials.FirstOrDefault(c => RegistryHosts.SameHost(c.Registry, target.Domain));
        return new RegistryRoute(image, target, apiBase, plainHttp, credential);
    }
}

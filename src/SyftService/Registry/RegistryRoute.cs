using TaskQueue.SyftService.References;

namespace TaskQueue.SyftService.Registry;

/// <summary>
/// Where and how one image is fetched: the reference after the Docker Hub mirror is applied, the registry's API
/// address, whether it is plain HTTP, and the credentials configured for it.
/// </summary>
/// <param name="Requested">The reference as the request named it (normalized).</param>
/// <param name="Image">The reference the engine is given (already rewritten to the mirror, if any).</param>
/// <param name="ApiBase">The registry's base address (<c>https://registry-1.docker.io</c>).</param>
/// <param name="PlainHttp">True when the registry is reached without TLS.</param>
/// <param name="Credential">The configured credentials for <see cref="ImageReference.Domain"/>, or null.</param>
internal sealed record RegistryRoute(
    ImageReference Requested,
    ImageReference Image,
    Uri ApiBase,
    bool PlainHttp,
    RegistryCredentialOptions? Credential)
{
    /// <summary>The registry host as references write it (the mirror's when one is in use).</summary>
    public string Host => Image.Domain;

    /// <summary>The manifest endpoint of the image: <c>/v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c>.</summary>
    public Uri ManifestUri => new(ApiBase, $"/v2/{Image.Path}/manifests/{Image.ManifestReference}");
}

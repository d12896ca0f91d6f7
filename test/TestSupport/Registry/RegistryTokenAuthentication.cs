namespace TaskQueue.TestSupport.Registry;

/// <summary>
/// The registry's <c>auth.token</c> settings: clients are sent to <paramref name="Realm"/> for a bearer token,
/// which the registry accepts when it was signed by a certificate in the bundle and names the issuer and service.
/// </summary>
/// <param name="Realm">The token endpoint's address.</param>
/// <param name="Service">The service name the tokens are for (their audience).</param>
/// <param name="Issuer">The tokens' issuer.</param>
/// <param name="RootCertificateBundlePath">A PEM file with the certificate that signs the tokens.</param>
public sealed record RegistryTokenAuthentication(
    Uri Realm,
    string Service,
    string Issuer,
    string RootCertificateBundlePath);

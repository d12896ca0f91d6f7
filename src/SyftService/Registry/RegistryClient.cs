using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TaskQueue.SyftService.Registry;

/// <summary>
/// Asks a registry whether an image's manifest exists, following the distribution token flow on 401. The
/// engines cannot tell "no such tag" from "registry down" (Trivy exits 1 without a word for both), so this check
/// is what decides between 404, 429 and 503 before any engine starts.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private const int MaxTokenResponseBytes = 256 * 1024;
    private const int MaxErrorBodyBytes = 16 * 1024;

    /// <summary>How many redirects one manifest request may follow, each checked like the first address.</summary>
    private const int MaxRedirects = 5;

    private static readonly string[] ManifestMediaTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly HttpClient _http;
    private readonly IOptionsMonitor<RegistryOptions> _options;
    private readonly TimeProvider _time;

    public RegistryClient(IOptionsMonitor<RegistryOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),

            // Redirects are followed by hand (SendAsync), so that every hop is held to AllowedRegistries and the
            // plain-HTTP rules, not only the registry the reference names.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            // The check's own deadline (ManifestCheckTimeout) bounds every request.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("TaskQueue-SyftService", "1.0"));
    }

    public async Task<ManifestCheckResult> CheckManifestAsync(RegistryRoute route, CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ManifestCheckTimeout);
        try
        {
            using var first = await SendManifestRequestAsync(route, authorization: null, timeout.Token);
            if (first.StatusCode != HttpStatusCode.Unauthorized)
            {
                return await ClassifyAsync(route, first, authorization: null, timeout.Token);
            }

            var (authorization, refusal) = await AuthorizeAsync(route, first, timeout.Token);
            if (authorization is null)
            {
                return refusal!;
            }

            using var second = await SendManifestRequestAsync(route, authorization, timeout.Token);
            return await ClassifyAsync(route, second, authorization, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable(route, $"the registry '{route.Host}' did not answer within "
                + $"{settings.ManifestCheckTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException exception)
        {
            return ClassifyFailure(route, exception);
        }
        catch (IOException exception)
        {
            return new ManifestCheckResult(
                ManifestCheckOutcome.BadGateway,
                $"The registry '{route.Host}' gave an unusable answer: {exception.Message}");
        }
        catch (RedirectRefusedException refused)
        {
            return new ManifestCheckResult(ManifestCheckOutcome.BadGateway, refused.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendManifestRequestAsync(
        RegistryRoute route,
        AuthenticationHeaderValue? authorization,
        CancellationToken cancellationToken)
    {
        // HEAD tells existence without the body (and Docker Hub does not count it against pull limits); a
        // registry that does not allow HEAD on manifests gets a GET whose body is never read.
        var response = await SendAsync(HttpMethod.Head, route, authorization, cancellationToken);
        if (response.StatusCode != HttpStatusCode.MethodNotAllowed)
        {
            return response;
        }

        response.Dispose();
        return await SendAsync(HttpMethod.Get, route, authorization, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        RegistryRoute route,
        AuthenticationHeaderValue? authorization,
        CancellationToken cancellationToken)
    {
        var address = route.ManifestUri;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(method, address);
            foreach (var mediaType in ManifestMediaTypes)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
            }

            // Credentials and tokens are for the registry they were issued for, never for where it sends us.
            request.Headers.Authorization = SameOrigin(address, route.ApiBase) ? authorization : null;
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            var status = (int)response.StatusCode;
            var location = response.Headers.Location;
            response.Dispose();
            if (redirects == MaxRedirects)
            {
                throw new RedirectRefusedException($"The registry '{route.Host}' redirected the manifest request for "
                    + $"'{route.Requested}' more than {MaxRedirects} times.");
            }

            if (location is null)
            {
                throw new RedirectRefusedException($"The registry '{route.Host}' answered the manifest request for "
                    + $"'{route.Requested}' with a redirect (HTTP {status}) that names no address.");
            }

            address = location.IsAbsoluteUri ? location : new Uri(address, location);
            CheckRedirect(route, address);
        }
    }

    /// <summary>Holds a redirect's target to the rules the registry itself was held to, or throws.</summary>
    private void CheckRedirect(RegistryRoute route, Uri target)
    {
        if (SameOrigin(target, route.ApiBase))
        {
            return;
        }

        var settings = _options.CurrentValue;
        var start = $"The registry '{route.Host}' redirected the manifest request for '{route.Requested}'";
        if (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp)
        {
            throw new RedirectRefusedException($"{start} to an address that is not HTTP or HTTPS.");
        }

        var host = target.Authority;
        if (!RegistryRouter.IsAllowed(settings, host))
        {
            throw new RedirectRefusedException($"{start} to '{host}', which this service does not contact; it is "
                + $"limited to: {string.Join(", ", settings.AllowedRegistries)}.");
        }

        if (target.Scheme == Uri.UriSchemeHttp && !RegistryRouter.UsesPlainHttp(settings, host))
        {
            throw new RedirectRefusedException($"{start} to plain HTTP at '{host}', which this service reaches only "
                + "over HTTPS; if that is intended, an operator lists it in "
                + "TaskQueue__SyftService__Registry__InsecureRegistries.");
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
        or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Authority, b.Authority, StringComparison.OrdinalIgnoreCase);

    private async Task<ManifestCheckResult> ClassifyAsync(
        RegistryRoute route,
        HttpResponseMessage response,
        AuthenticationHeaderValue? authorization,
        CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                ? values.FirstOrDefault()
                : null;
            return new ManifestCheckResult(ManifestCheckOutcome.Found, "", Digest: digest);
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return NotFound(route, await ReadErrorCodeAsync(route, authorization, cancellationToken));
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return Denied(route, status);
            case HttpStatusCode.TooManyRequests:
                return RateLimited(route, response, "registry");
            case HttpStatusCode.BadRequest:
                return new ManifestCheckResult(
                    ManifestCheckOutcome.InvalidReference,
                    $"The registry '{route.Host}' rejected the reference '{route.Requested}' as invalid (HTTP 400).");
            case HttpStatusCode.RequestTimeout:
                return Unavailable(route, $"the registry '{route.Host}' answered HTTP 408", response);
        }

        return status >= 500
            ? Unavailable(route, $"the registry '{route.Host}' answered HTTP {status}", response)
            : new ManifestCheckResult(
                ManifestCheckOutcome.BadGateway,
                $"The registry '{route.Host}' answered the manifest request for '{route.Requested}' with an "
                    + $"unexpected HTTP {status}.");
    }

    /// <summary>
    /// The registry's error code for a 404 (NAME_UNKNOWN or MANIFEST_UNKNOWN), read from a GET because a HEAD
    /// answer has no body. Null when the registry does not say.
    /// </summary>
    private async Task<string?> ReadErrorCodeAsync(
        RegistryRoute route,
        AuthenticationHeaderValue? authorization,
        CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, route, authorization, cancellationToken);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                return null;
            }

            var body = await ReadBoundedAsync(response.Content, MaxErrorBodyBytes, cancellationToken);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
            or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or IOException
            or RedirectRefusedException)
        {
            return null;
        }
    }

    private async Task<(AuthenticationHeaderValue? Authorization, ManifestCheckResult? Refusal)> AuthorizeAsync(
        RegistryRoute route,
        HttpResponseMessage unauthorized,
        CancellationToken cancellationToken)
    {
        foreach (var challenge in AuthChallenge.From(unauthorized.Headers.WwwAuthenticate))
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return await RequestTokenAsync(route, challenge, cancellationToken);
            }

            if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            {
                return route.Credential is null
                    ? (null, Denied(route, 401))
                    : (BasicAuthorization(route.Credential), null);
            }
        }

        return (null, Denied(route, 401));
    }

    private async Task<(AuthenticationHeaderValue? Authorization, ManifestCheckResult? Refusal)> RequestTokenAsync(
        RegistryRoute route,
        AuthChallenge challenge,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge["realm"], UriKind.Absolute, out var realm)
            || (realm.Scheme != Uri.UriSchemeHttps && !(realm.Scheme == Uri.UriSchemeHttp && route.PlainHttp)))
        {
            // A realm over plain HTTP from an HTTPS registry would expose the credentials: refuse it.
            return (null, new ManifestCheckResult(
                ManifestCheckOutcome.BadGateway,
                $"The registry '{route.Host}' asked for a token from an unusable address '{challenge["realm"]}'."));
        }

        // The scope is always the repository asked for, whatever the challenge proposes.
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
        if (challenge["service"] is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString($"repository:{route.Image.Path}:pull"));
        var tokenUri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (route.Credential is not null)
        {
            request.Headers.Authorization = BasicAuthorization(route.Credential);
        }

        using var response = await _http.SendAsync(
            request,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return (null, Denied(route, status));
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return (null, RateLimited(route, response, "token service of the registry"));
        }

        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return (null, Unavailable(route, $"the token service of '{route.Host}' answered HTTP {status}", response));
        }

        var token = response.IsSuccessStatusCode
            ? ReadToken(await ReadBoundedAsync(response.Content, MaxTokenResponseBytes, cancellationToken))
            : null;
        return token is null
            ? (null, new ManifestCheckResult(
                ManifestCheckOutcome.BadGateway,
                $"The token service of the registry '{route.Host}' gave no usable token (HTTP {status})."))
            : (new AuthenticationHeaderValue("Bearer", token), null);
    }

    private static string? ReadToken(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var name in new[] { "token", "access_token" })
            {
                if (document.RootElement.TryGetProperty(name, out var value)
                    && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 0 } token
                    && token.All(c => c > ' ' && c < 0x7F))
                {
                    return token;
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return null;
    }

    private static AuthenticationHeaderValue BasicAuthorization(RegistryCredentialOptions credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private static async Task<byte[]> ReadBoundedAsync(
        HttpContent content,
        int limit,
        CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new IOException($"The registry's answer is larger than {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private ManifestCheckResult ClassifyFailure(RegistryRoute route, HttpRequestException exception)
    {
        var socketError = (exception.InnerException as SocketException)?.SocketErrorCode;
        if (exception.HttpRequestError == HttpRequestError.NameResolutionError
            && socketError is SocketError.HostNotFound or SocketError.NoData)
        {
            return new ManifestCheckResult(
                ManifestCheckOutcome.HostNotFound,
                $"The registry host '{route.ApiBase.Host}' of the image '{route.Requested}' does not exist: "
                    + "its name does not resolve.");
        }

        if (exception.HttpRequestError == HttpRequestError.SecureConnectionError
            || exception.InnerException is AuthenticationException)
        {
            return new ManifestCheckResult(
                ManifestCheckOutcome.BadGateway,
                $"The TLS handshake with the registry '{route.Host}' failed ({Describe(exception)}); if it serves "
                    + "plain HTTP, an operator lists it in TaskQueue__SyftService__Registry__InsecureRegistries.");
        }

        return Unavailable(route, $"the registry '{route.Host}' could not be reached: {Describe(exception)}");
    }

    private static string Describe(HttpRequestException exception)
    {
        var innermost = exception.GetBaseException();
        var text = (innermost.Message.Length > 0 ? innermost.Message : exception.Message).TrimEnd('.');
        return text.Length > 200 ? text[..200] + "..." : text;
    }

    private static ManifestCheckResult NotFound(RegistryRoute route, string? registryErrorCode)
    {
        var what = route.Image.Digest is null
            ? $"the tag '{route.Image.Tag}'"
            : $"the digest '{route.Image.Digest}'";
        var message = registryErrorCode switch
        {
            "NAME_UNKNOWN" => $"The image '{route.Requested}' was not found: the repository '{route.Image.Path}' "
                + $"does not exist in the registry '{route.Host}'.",
            _ => $"The image '{route.Requested}' was not found: the registry '{route.Host}' has no manifest for "
                + $"{what} in the repository '{route.Image.Path}'.",
        };
        return new ManifestCheckResult(ManifestCheckOutcome.NotFound, message);
    }

    private static ManifestCheckResult Denied(RegistryRoute route, int status)
    {
        var why = route.Credential is null
            ? "no credentials are configured for it"
            : "the configured credentials were not enough";
        return new ManifestCheckResult(
            ManifestCheckOutcome.NotFound,
            $"The image '{route.Requested}' was not found, or this service may not read it: the registry "
                + $"'{route.Host}' refused access to the repository '{route.Image.Path}' (HTTP {status}; {why}).");
    }

    private ManifestCheckResult RateLimited(RegistryRoute route, HttpResponseMessage response, string who)
    {
        var retryAfter = RetryAfterOf(response) ?? _options.CurrentValue.RateLimitedRetryAfter;
        return new ManifestCheckResult(
            ManifestCheckOutcome.RateLimited,
            $"The {who} '{route.Host}' is rate-limiting requests (HTTP 429); "
                + $"try again in {retryAfter.TotalSeconds:0} seconds.",
            retryAfter);
    }

    private ManifestCheckResult Unavailable(RegistryRoute route, string reason, HttpResponseMessage? response = null)
    {
        var retryAfter = (response is null ? null : RetryAfterOf(response))
            ?? _options.CurrentValue.UnavailableRetryAfter;
        return new ManifestCheckResult(
            ManifestCheckOutcome.Unavailable,
            $"The image '{route.Requested}' cannot be checked now: {reason}.",
            retryAfter);
    }

    /// <summary>The registry's <c>Retry-After</c> as a delay (a date becomes the time left), or null.</summary>
    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        if (delay is null)
        {
            return null;
        }

        // Whole seconds, at least one, at most a day: a registry's absurd value must not park a task for ever.
        var seconds = Math.Clamp(Math.Ceiling(delay.Value.TotalSeconds), 1, TimeSpan.FromDays(1).TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }
}

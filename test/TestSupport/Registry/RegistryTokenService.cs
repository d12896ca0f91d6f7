using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.TestSupport.Registry;

/// <summary>
/// A token service for <see cref="RegistryServer"/>'s bearer-token authentication, as the distribution project's
/// token specification describes it: clients come with Basic credentials (or none), get a JWT signed with a
/// certificate the registry trusts, and the registry checks it. Known users get every action they ask for;
/// anonymous clients get none. The registry it serves is real; only the account database is this small.
/// </summary>
public sealed class RegistryTokenService : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private readonly string _folder;
    private readonly IReadOnlyDictionary<string, string> _users;
    private readonly Task _serving;
    private readonly ConcurrentQueue<string> _requests = new();

    private RegistryTokenService(HttpListener listener, Uri realm, IReadOnlyDictionary<string, string> users)
    {
        _listener = listener;
        _users = users;
        _folder = Directory.CreateTempSubdirectory("taskqueue-registry-token-").FullName;
        _key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=taskqueue-tests-token-issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var bundle = Path.Combine(_folder, "token-signer.pem");
        File.WriteAllText(bundle, _certificate.ExportCertificatePem());
        Authentication = new RegistryTokenAuthentication(realm, "taskqueue-test-registry", "taskqueue-tests", bundle);
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>What the registry's configuration needs to trust this service's tokens.</summary>
    public RegistryTokenAuthentication Authentication { get; }

    /// <summary>One line per token request: the user (or <c>anonymous</c>) and the scopes asked for.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>Starts on a free loopback port with these users (name to password).</summary>
    public static RegistryTokenService Start(IReadOnlyDictionary<string, string> users)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var prefix = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return new RegistryTokenService(listener, new Uri(prefix + "token"), users);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                // The port was taken between choosing and binding it.
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
        }

        _certificate.Dispose();
        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException
                or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            Answer(context.Request, response);
        }
    }

    private void Answer(HttpListenerRequest request, HttpListenerResponse response)
    {
        var user = Authenticate(request.Headers["Authorization"]);
        var scopes = request.QueryString.GetValues("scope") ?? [];
        _requests.Enqueue($"{user ?? "anonymous"} {string.Join(' ', scopes)}");
        if (user == "")
        {
            response.StatusCode = (int)HttpStatusCode.Unauthorized;
            return;
        }

        var access = user is null ? [] : scopes.Select(ParseScope).OfType<object>().ToArray();
        var token = Sign(user ?? "", request.QueryString["service"] ?? "", access);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = 300,
        });
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
    }

    /// <summary>The user of valid Basic credentials; null when there are none; "" when they are wrong.</summary>
    private string? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        var (name, password) = colon < 0 ? (pair, "") : (pair[..colon], pair[(colon + 1)..]);
        return _users.TryGetValue(name, out var expected) && expected == password ? name : "";
    }

    /// <summary><c>repository:NAME:pull,push</c> as a token access entry, or null for other scopes.</summary>
    private static Dictionary<string, object>? ParseScope(string scope)
    {
        var parts = scope.Split(':');
        if (parts.Length != 3 || parts[0] != "repository")
        {
            return null;
        }

        return new Dictionary<string, object>
        {
            ["type"] = "repository",
            ["name"] = parts[1],
            ["actions"] = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    private string Sign(string subject, string audience, object[] access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(_certificate.RawData) },
        };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Authentication.Issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signed = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}."
            + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(
            Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

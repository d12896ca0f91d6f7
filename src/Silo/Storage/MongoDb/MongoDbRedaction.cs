using MongoDB.Driver;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Keeps the connection string's secrets out of messages: errors and logs name the servers, never the password.
/// </summary>
internal static class MongoDbRedaction
{
    private const string Hidden = "****";

    /// <summary>
    /// <paramref name="text"/> with the connection string, its password (raw and percent-decoded) and the values of
    /// secret-looking options replaced. Works on strings the driver cannot parse too, since those are the ones whose
    /// errors quote them.
    /// </summary>
    public static string Redact(string text, string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return text;
        }

        var redacted = text.Replace(connectionString, "<connection string>", StringComparison.Ordinal);
        foreach (var secret in Secrets(connectionString).Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            redacted = redacted.Replace(secret, Hidden, StringComparison.Ordinal);
        }

        return redacted;
    }

    /// <summary>The servers a connection string names, for messages: <c>mongo-0:27017, mongo-1:27017</c>.</summary>
    public static string Servers(string connectionString)
    {
        try
        {
            var url = MongoUrl.Create(connectionString);
            return string.Join(", ", url.Servers.Select(server => $"{server.Host}:{server.Port}"));
        }
        catch (Exception invalid) when (invalid is MongoConfigurationException or ArgumentException or FormatException)
        {
            return "<the servers of an invalid connection string>";
        }
    }

    private static IEnumerable<string> Secrets(string connectionString)
    {
        var schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            yield break;
        }

        var afterScheme = connectionString[(schemeEnd + 3)..];
        var pathStart = afterScheme.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? afterScheme : afterScheme[..pathStart];
        var at = authority.LastIndexOf('@');
        if (at > 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                var password = userInfo[(colon + 1)..];
                yield return password;
                yield return Unescape(password);
            }
        }

        // Options such as tlsCertificateKeyFilePassword or authMechanismProperties=AWS_SESSION_TOKEN:... are secrets too.
        var queryStart = connectionString.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            yield break;
        }

        foreach (var option in connectionString[(queryStart + 1)..].Split('&', ';'))
        {
            var equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = option[..equals];
            if (key.Contains("password", StringComparison.OrdinalIgnoreCase)
                || key.Contains("authMechanismProperties", StringComparison.OrdinalIgnoreCase))
            {
                var value = option[(equals + 1)..];
                yield return value;
                yield return Unescape(value);

                // authMechanismProperties is a list of NAME:value pairs; each value may be quoted on its own.
                foreach (var property in Unescape(value).Split(','))
                {
                    var colon = property.IndexOf(':', StringComparison.Ordinal);
                    if (colon >= 0)
                    {
                        yield return property[(colon + 1)..];
                    }
                }
            }
        }
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}

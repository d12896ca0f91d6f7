using System.Net.Http.Headers;

namespace TaskQueue.SyftService.Registry;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge: its scheme and parameters (<c>realm</c>, <c>service</c>,
/// <c>scope</c>), parsed from <c>key=value</c> and <c>key="quoted, value"</c> pairs.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string key] => Parameters.TryGetValue(key, out var value) ? value : null;

    /// <summary>The challenges of a 401 answer, Bearer ones first.</summary>
    public static IReadOnlyList<AuthChallenge> From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers) =>
        headers
            .Select(h => new AuthChallenge(h.Scheme, ParseParameters(h.Parameter)))
            .OrderBy(c => string.Equals(c.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ToList();

    internal static IReadOnlyDictionary<string, string> ParseParameters(string? text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (text is not null && i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    // A backslash escapes the next character inside a quoted string (RFC 9110, 5.6.4).
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                    i++;
                }

                i++;
                value = builder.ToString();
            }
            else
            {
                var comma = text.IndexOf(',', i);
                var end = comma < 0 ? text.Length : comma;
                value = text[i..end].Trim();
                i = end;
            }

            if (key.Length > 0)
            {
                parameters[key] = value;
            }
        }

        return parameters;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TaskQueue.SyftService.References;

/// <summary>
/// Parses container image references with the grammar of the distribution project's reference package
/// (the one Docker uses) and normalizes them the way Docker does. Written here, step by step, so that every
/// rejection says what is wrong: this string reaches an engine's command line, so it is hostile until it
/// passes.
/// </summary>
/// <remarks>
/// <code>
/// reference        := name [ ":" tag ] [ "@" digest ]
/// name             := [domain "/"] path-component ["/" path-component]*
/// domain           := host [":" port]
/// host             := domain-component ["." domain-component]* | "[" IPv6 "]"
/// domain-component := /[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]/
/// path-component   := /[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*/
/// tag              := /[\w][\w.-]{0,127}/
/// digest           := algorithm ":" hex      (sha256: 64 hex digits; sha512: 128)
/// </code>
/// The first component is a domain when it contains "." or ":" or is "localhost"; otherwise the image is on
/// Docker Hub (<c>docker.io</c>), where a single-component name lives under <c>library/</c>.
/// </remarks>
internal static class ImageReferenceParser
{
    /// <summary>The longest input looked at; a name, tag and digest together fit well inside it.</summary>
    public const int MaxReferenceLength = 512;

    /// <summary>The longest repository name (domain and path as written), as in the distribution project.</summary>
    public const int MaxNameLength = 255;

    public const int MaxTagLength = 128;
    public const string DockerHubDomain = "docker.io";
    public const string DefaultTag = "latest";

    private const string LegacyDockerHubDomain = "index.docker.io";
    private const string OfficialImagesPrefix = "library/";

    /// <summary>Parses and normalizes <paramref name="input"/>, or says in one sentence why it is not valid.</summary>
    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out ImageReference? reference,
        [NotNullWhen(false)] out string? error)
    {
        reference = null;
        error = CheckCharacters(input);
        if (error is not null)
        {
            return false;
        }

        var text = input!;
        var (rest, digest) = SplitDigest(text, out error);
        if (error is not null)
        {
            return false;
        }

        var (name, tag) = SplitTag(rest, out error);
        if (error is not null)
        {
            return false;
        }

        error = CheckName(name);
        if (error is not null)
        {
            return false;
        }

        var (domain, path) = SplitDomain(name);
        error = CheckDomain(domain) ?? CheckPath(path);
        if (error is not null)
        {
            return false;
        }

        reference = new ImageReference(domain, path, tag ?? (digest is null ? DefaultTag : null), digest);
        return true;
    }

    private static string? CheckCharacters(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return "it is empty.";
        }

        if (input.Length > MaxReferenceLength)
        {
            return $"it is {input.Length} characters long; at most {MaxReferenceLength} are allowed.";
        }

        foreach (var c in input)
        {
            if (char.IsWhiteSpace(c))
            {
                return "it contains whitespace.";
            }

            if (char.IsControl(c))
            {
                return $"it contains a control character (U+{(int)c:X4}).";
            }

            if (c > '~')
            {
                return $"it contains a character outside printable ASCII (U+{(int)c:X4}).";
            }
        }

        if (input[0] == '-')
        {
            return "it starts with '-', which reads as a command-line option; "
                + "a reference starts with a letter or digit.";
        }

        if (input.Contains("://", StringComparison.Ordinal))
        {
            return "it is a URL; give the image without a scheme (no http://, https:// or docker://), "
                + "for example registry.example.com/team/app:1.0.";
        }

        if (input.Length == 64 && input.All(IsLowerHex))
        {
            return "it is a bare 64-character image id; give a repository name, with a tag or an @sha256: digest.";
        }

        return null;
    }

    private static (string Remainder, string? Digest) SplitDigest(string text, out string? error)
    {
        error = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (text, null);
        }

        var digest = text[(at + 1)..];
        error = CheckDigest(digest);
        return (text[..at], digest);
    }

    private static string? CheckDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return $"the digest '{digest}' is not of the form algorithm:hex (for example sha256:<64 hex digits>).";
        }

        var algorithm = digest[..colon];
        var hex = digest[(colon + 1)..];
        if (!IsDigestAlgorithm(algorithm))
        {
            return $"the digest algorithm '{algorithm}' is not valid.";
        }

        var expectedLength = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => 0,
        };
        if (expectedLength == 0)
        {
            return $"the digest algorithm '{algorithm}' is not supported; use sha256 or sha512.";
        }

        if (hex.Length != expectedLength || !hex.All(IsLowerHex))
        {
            return $"a {algorithm} digest is {expectedLength} lowercase hexadecimal digits after '{algorithm}:'.";
        }

        return null;
    }

    private static (string Name, string? Tag) SplitTag(string rest, out string? error)
    {
        error = null;

        // A colon after the last slash starts the tag; one before it belongs to a port.
        var colon = rest.LastIndexOf(':');
        if (colon < 0 || colon < rest.LastIndexOf('/'))
        {
            return (rest, null);
        }

        var tag = rest[(colon + 1)..];
        if (!IsTag(tag))
        {
            error = tag.Length > MaxTagLength
                ? $"the tag is {tag.Length} characters long; at most {MaxTagLength} are allowed."
                : $"the tag '{tag}' is not valid: a tag is letters, digits, '_', '.' and '-', "
                    + "and does not start with '.' or '-'.";
        }

        return (rest[..colon], tag);
    }

    private static string? CheckName(string name)
    {
        if (name.Length == 0)
        {
            return "it has no repository name.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the repository name is {name.Length} characters long; at most {MaxNameLength} are allowed.";
        }

        return null;
    }

    private static (string Domain, string Path) SplitDomain(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        string domain;
        string path;
        if (slash < 0)
        {
            (domain, path) = (DockerHubDomain, name);
        }
        else
        {
            var first = name[..slash];
            var isDomain = first == "localhost" || first.Contains('.', StringComparison.Ordinal)
                || first.Contains(':', StringComparison.Ordinal);
            (domain, path) = isDomain ? (first, name[(slash + 1)..]) : (DockerHubDomain, name);
        }

        if (domain == LegacyDockerHubDomain)
        {
            domain = DockerHubDomain;
        }

        if (domain == DockerHubDomain && !path.Contains('/', StringComparison.Ordinal))
        {
            path = OfficialImagesPrefix + path;
        }

        return (domain, path);
    }

    /// <summary>Why <paramref name="domain"/> is not a registry host with an optional port, or null.</summary>
    internal static string? CheckDomain(string domain)
    {
        string host;
        string? port = null;
        if (domain.StartsWith('['))
        {
            var close = domain.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return $"the registry '{domain}' opens an IPv6 address with '[' but never closes it.";
            }

            var address = domain[1..close];
            if (address.Length == 0 || !address.All(c => char.IsAsciiHexDigit(c) || c == ':'))
            {
                return $"the registry '{domain}' has an invalid IPv6 address between the brackets.";
            }

            host = domain[..(close + 1)];
            var after = domain[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return $"the registry '{domain}' has text after its IPv6 address that is not a port.";
                }

                port = after[1..];
            }
        }
        else
        {
            var colon = domain.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? domain : domain[..colon];
            port = colon < 0 ? null : domain[(colon + 1)..];
            if (host.Length == 0 || !host.Split('.').All(IsDomainComponent))
            {
                return $"the registry host '{host}' is not a valid host name or IPv4 address "
                    + "(an IPv6 address goes in brackets).";
            }
        }

        if (port is not null && !IsPort(port))
        {
            return $"the registry port '{port}' is not a number from 1 to 65535.";
        }

        return null;
    }

    private static string? CheckPath(string path)
    {
        foreach (var component in path.Split('/'))
        {
            if (component.Length == 0)
            {
                return "the repository path has an empty component (a doubled or trailing '/').";
            }

            if (IsPathComponent(component))
            {
                continue;
            }

            return IsPathComponent(component.ToLowerInvariant())
                ? $"the repository name '{path}' must be lowercase."
                : $"the repository path component '{component}' is not valid: it is lowercase letters and digits, "
                    + "joined by single '.' or '_', double '__', or one or more '-'.";
        }

        return null;
    }

    private static bool IsPathComponent(string s)
    {
        if (s.Length == 0 || !IsLowerAlphanumeric(s[0]))
        {
            return false;
        }

        var i = 0;
        while (i < s.Length)
        {
            if (IsLowerAlphanumeric(s[i]))
            {
                i++;
                continue;
            }

            switch (s[i])
            {
                case '.':
                    i++;
                    break;
                case '_':
                    i += i + 1 < s.Length && s[i + 1] == '_' ? 2 : 1;
                    break;
                case '-':
                    while (i < s.Length && s[i] == '-')
                    {
                        i++;
                    }

                    break;
                default:
                    return false;
            }

            // A separator always sits between two alphanumerics.
            if (i >= s.Length || !IsLowerAlphanumeric(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomainComponent(string s) =>
        s.Length > 0
        && char.IsAsciiLetterOrDigit(s[0])
        && char.IsAsciiLetterOrDigit(s[^1])
        && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool IsPort(string s) =>
        s.Length is > 0 and <= 5
        && s.All(char.IsAsciiDigit)
        && int.Parse(s, CultureInfo.InvariantCulture) is > 0 and <= 65535;

    private static bool IsTag(string s) =>
        s.Length is > 0 and <= MaxTagLength && IsWordCharacter(s[0])
        && s.All(c => IsWordCharacter(c) || c == '.' || c == '-');

    private static bool IsDigestAlgorithm(string s)
    {
        // Components of a letter then letters or digits, joined by one of + . - _
        var expectLetter = true;
        foreach (var c in s)
        {
            if (expectLetter)
            {
                if (!char.IsAsciiLetter(c))
                {
                    return false;
                }

                expectLetter = false;
            }
            else if (c is '+' or '.' or '-' or '_')
            {
                expectLetter = true;
            }
            else if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return !expectLetter;
    }

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool IsLowerHex(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';
}

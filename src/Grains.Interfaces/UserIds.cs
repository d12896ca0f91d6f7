namespace TaskQueue.Grains.Interfaces;

/// <summary>
/// What a user id may look like. The ingress sets it after authenticating the user; the queue still treats
/// it as untrusted text.
/// </summary>
public static class UserIds
{
    /// <summary>The longest user id accepted, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// The characters a user id may use besides ASCII letters and digits: enough for e-mail addresses,
    /// OpenID Connect subjects (<c>auth0|abc</c>) and Kubernetes service accounts
    /// (<c>system:serviceaccount:ns:name</c>); no whitespace, control characters, slashes or quotes.
    /// </summary>
    public const string AllowedPunctuation = "._-@:+|=";

    /// <summary>Null when the id is acceptable, otherwise why it is not.</summary>
    public static string? Validate(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return "The user id is empty.";
        }

        if (userId.Length > MaxLength)
        {
            return $"The user id is longer than {MaxLength} characters.";
        }

        foreach (var c in userId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !AllowedPunctuation.Contains(c, StringComparison.Ordinal))
            {
                return $"The user id may contain only ASCII letters, digits and '{AllowedPunctuation}'.";
            }
        }

        return null;
    }
}

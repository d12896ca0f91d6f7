using System.Text;
using System.Text.RegularExpressions;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// Turns an engine's stderr into a short reason fit for a caller: colour codes and control characters gone,
/// secrets and authorization values masked, whitespace collapsed, at most <see cref="MaxLength"/> characters
/// from the end (where the error is).
/// </summary>
internal static partial class FailureText
{
    public const int MaxLength = 400;

    private const string Mask = "***";

    public static string Sanitize(string text, IEnumerable<string> secrets)
    {
        var cleaned = AnsiEscape().Replace(text, "");
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            cleaned = cleaned.Replace(secret, Mask, StringComparison.Ordinal);
        }

        cleaned = AuthorizationValue().Replace(cleaned, "$1 " + Mask);

        var builder = new StringBuilder(cleaned.Length);
        foreach (var c in cleaned)
        {
            var visible = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c;
            if (visible != ' ' || (builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(visible);
            }
        }

        var result = builder.ToString().Trim();
        return result.Length <= MaxLength ? result : "..." + result[^(MaxLength - 3)..].TrimStart();
    }

    /// <summary>Terminal escape sequences (colours, cursor moves) that engines write to a log.</summary>
    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")]
    private static partial Regex AnsiEscape();

    /// <summary>An HTTP authorization value: whatever follows Basic or Bearer.</summary>
    [GeneratedRegex(@"(?i)\b(basic|bearer)\s+[A-Za-z0-9._~+/=-]{8,}")]
    private static partial Regex AuthorizationValue();
}

using TaskQueue.Gateway.Http;

namespace TaskQueue.Gateway.Tasks;

/// <summary>
/// The optional <c>Idempotency-Key</c> header: 1-128 visible ASCII characters. The same user and key always name
/// the same task, so a submission repeated after a lost answer finds the task instead of making another.
/// </summary>
internal static class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 128;

    /// <summary>False with a problem to answer when the header is present but unusable; the key may be null.</summary>
    public static bool TryRead(HttpRequest request, out string? key, out IResult? problem)
    {
        key = null;
        problem = null;
        if (!request.Headers.TryGetValue(HeaderName, out var values))
        {
            return true;
        }

        if (values.Count > 1)
        {
            problem = Problems.Validation(
                HeaderName,
                $"The {HeaderName} header must be sent once, not {values.Count} times.");
            return false;
        }

        var value = values.Count == 0 ? "" : values[0] ?? "";
        if (value.Length is 0 or > MaxLength || !value.All(c => c is >= '!' and <= '~'))
        {
            problem = Problems.Validation(
                HeaderName,
                $"The {HeaderName} header must be 1-{MaxLength} visible ASCII characters (no spaces).");
            return false;
        }

        key = value;
        return true;
    }
}

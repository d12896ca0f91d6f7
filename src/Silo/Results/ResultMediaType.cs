using System.Net.Http.Headers;

namespace TaskQueue.Silo.Results;

/// <summary>
/// The media type a result is stored with. It comes from a task service's <c>Content-Type</c>, so it is checked
/// before it reaches a file header or an HTTP header of the object store.
/// </summary>
internal static class ResultMediaType
{
    public const int MaxLength = 255;

    public static bool IsValid(string? mediaType) =>
        !string.IsNullOrEmpty(mediaType)
        && mediaType.Length <= MaxLength
        && mediaType.All(c => c is >= ' ' and <= '~')
        && MediaTypeHeaderValue.TryParse(mediaType, out _);

    public static void Validate(string? mediaType, string parameterName)
    {
        if (!IsValid(mediaType))
        {
            throw new ArgumentException(
                $"The media type must be a valid Content-Type value of printable ASCII, at most {MaxLength} "
                + "characters.",
                parameterName);
        }
    }
}

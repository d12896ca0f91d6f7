using System.Text;

namespace TaskQueue.Silo.Results;

/// <summary>
/// A local result file: two text lines, then the content exactly as the task service sent it.
/// <code>
/// taskqueue-result 1
/// application/vnd.cyclonedx+json
/// {...content...}
/// </code>
/// Keeping the media type inside the file means one rename replaces content and media type together: there is
/// no moment, and no crash, at which they disagree. <c>head -2</c> shows an operator what a file is.
/// </summary>
internal static class ResultFileFormat
{
    private const string Magic = "taskqueue-result 1";
    private const int MaxHeaderBytes = 4096;

    public static byte[] Header(string mediaType) => Encoding.ASCII.GetBytes($"{Magic}\n{mediaType}\n");

    /// <summary>Reads the header at the start of <paramref name="file"/>; null when it is not a result file.</summary>
    public static async Task<(string MediaType, int Length)?> ReadHeaderAsync(
        Stream file,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var filled = 0;
        int read;
        while (filled < buffer.Length
            && (read = await file.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        var bytes = buffer.AsSpan(0, filled);
        var firstEnd = bytes.IndexOf((byte)'\n');
        if (firstEnd < 0 || !Encoding.ASCII.GetString(bytes[..firstEnd]).Equals(Magic, StringComparison.Ordinal))
        {
            return null;
        }

        var secondEnd = bytes[(firstEnd + 1)..].IndexOf((byte)'\n');
        if (secondEnd < 0)
        {
            return null;
        }

        var mediaType = Encoding.ASCII.GetString(bytes.Slice(firstEnd + 1, secondEnd));
        return ResultMediaType.IsValid(mediaType) ? (mediaType, firstEnd + 1 + secondEnd + 1) : null;
    }
}

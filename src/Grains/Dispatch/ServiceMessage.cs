using System.Text;
using System.Text.Json;

namespace TaskQueue.Grains.Dispatch;

/// <summary>
/// What a failed response says, in at most a kilobyte: <c>detail</c> (else <c>title</c>) of a problem
/// document, or the start of a text body. Services are outside the queue: their bodies are read bounded.
/// </summary>
public static class ServiceMessage
{
    private const int MaxReadBytes = 16 * 1024;
    private const int MaxMessageLength = 1024;

    public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"HTTP {(int)response.StatusCode}";
        string body;
        try
        {
            body = await ReadBoundedAsync(response.Content, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return $"{status} (the body could not be read: {e.Message})";
        }

        var said = FromProblemDocument(body) ?? body;
        said = Clean(said);
        return said.Length == 0 ? $"{status} {response.ReasonPhrase}".TrimEnd() : $"{status}: {said}";
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxReadBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static string? FromProblemDocument(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (string[])["detail", "title", "message", "error"])
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the message.
        }

        return null;
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxMessageLength));
        foreach (var c in text)
        {
            if (builder.Length == MaxMessageLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}

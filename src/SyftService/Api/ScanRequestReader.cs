using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Unicode;
using TaskQueue.SyftService.Engines;
using TaskQueue.SyftService.References;
using TaskQueue.SyftService.Scanning;

namespace TaskQueue.SyftService.Api;

/// <summary>
/// Reads <c>{"docker_image_id": "...", "format": "..."}</c> from a request body: bounded in size, strict JSON,
/// no unknown or repeated fields, the right types, a valid image reference.
/// </summary>
internal static class ScanRequestReader
{
    public const string ImageField = "docker_image_id";
    public const string FormatField = "format";

    private const string Example = "{\"docker_image_id\": \"alpine:3.20\"}";

    public static async Task<(ScanRequest? Request, RequestProblem? Problem)> ReadAsync(
        HttpRequest request,
        int maxBodyBytes,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return (null, TooLarge(maxBodyBytes));
        }

        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            return (null, new RequestProblem(
                StatusCodes.Status415UnsupportedMediaType,
                "The request body must be JSON (Content-Type: application/json)."));
        }

        var body = await ReadBodyAsync(request.Body, maxBodyBytes, cancellationToken);
        return body is null ? (null, TooLarge(maxBodyBytes)) : Parse(body);
    }

    /// <summary>Parses a body already read; public for the unit tests of the request's shape.</summary>
    public static (ScanRequest? Request, RequestProblem? Problem) Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, Invalid($"The request body is empty; send a JSON object such as {Example}."));
        }

        if (!Utf8.IsValid(body.Span))
        {
            return (null, Invalid("The request body is not valid UTF-8 text."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            return (null, Invalid($"The request body is not valid JSON (line {exception.LineNumber + 1}, "
                + $"byte {exception.BytePositionInLine + 1}); send a JSON object such as {Example}."));
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    private static (ScanRequest? Request, RequestProblem? Problem) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, Invalid($"The request body must be a JSON object, not {KindName(root.ValueKind)}; "
                + $"send for example {Example}."));
        }

        JsonElement? image = null;
        JsonElement? format = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case ImageField when image is null:
                    image = property.Value;
                    break;
                case FormatField when format is null:
                    format = property.Value;
                    break;
                case ImageField or FormatField:
                    return (null, Invalid($"The field '{property.Name}' appears more than once.", property.Name));
                default:
                    return (null, Invalid($"The field {Quote(property.Name)} is not known: the fields are "
                        + $"'{ImageField}' (required) and '{FormatField}' (optional)."));
            }
        }

        if (image is null)
        {
            return (null, Invalid($"The field '{ImageField}' is required: the image to scan, such as 'alpine:3.20'.",
                ImageField));
        }

        if (image.Value.ValueKind != JsonValueKind.String)
        {
            return (null, Invalid($"The field '{ImageField}' must be a string, not {KindName(image.Value.ValueKind)}.",
                ImageField));
        }

        if (!ImageReferenceParser.TryParse(image.Value.GetString(), out var reference, out var error))
        {
            return (null, Invalid($"The field '{ImageField}' is not a valid image reference: {error}", ImageField));
        }

        var sbomFormat = SbomFormats.Default;
        if (format is not null && (format.Value.ValueKind != JsonValueKind.String
            || !SbomFormats.TryParse(format.Value.GetString()!, out sbomFormat)))
        {
            return (null, Invalid($"The field '{FormatField}' must be one of {SbomFormats.AllowedNames} "
                + $"(default 'cyclonedx-json').", FormatField));
        }

        return (new ScanRequest(reference, sbomFormat), null);
    }

    /// <summary>The body, or null when it is longer than the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (string.Equals(parsed.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.MediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    private static RequestProblem TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit} bytes.");

    private static RequestProblem Invalid(string detail, string? field = null) =>
        new(StatusCodes.Status400BadRequest, detail, field);

    /// <summary>A field name quoted for a message, unless it is too odd to repeat back.</summary>
    private static string Quote(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is >= ' ' and <= '~')
            ? $"'{name}'"
            : "with that name";

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "that",
    };
}

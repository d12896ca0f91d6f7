using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TaskQueue.Gateway.Http;

namespace TaskQueue.Gateway.Tasks;

/// <summary>
/// Reads a request body as JSON bytes, refusing it before it is read when its declared type or length is wrong,
/// and while it is read once it passes the limit.
/// </summary>
internal static class TaskRequestBody
{
    /// <summary>The body's bytes, or the problem to answer instead.</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadAsync(
        HttpRequest request,
        long maxBytes,
        CancellationToken cancellationToken)
    {
        var contentTypeProblem = CheckContentType(request.ContentType) ?? CheckContentEncoding(request.Headers);
        if (contentTypeProblem is not null)
        {
            return (default, contentTypeProblem);
        }

        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        // The server's own limit is far larger; ours is the one that counts, and a chunked body has no length.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(
            (int)Math.Min(request.ContentLength ?? 1024, maxBytes) + 1);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    return (buffer.WrittenMemory, null);
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (default, TooLarge(maxBytes));
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel counts a chunked body as it arrives and stops it at the limit set above.
            return (default, TooLarge(maxBytes));
        }
    }

    private static ProblemHttpResult? CheckContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return Unsupported("The request has no Content-Type; send the body as application/json.");
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Unsupported("The Content-Type must be application/json.");
        }

        var charset = mediaType.Charset;
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return Unsupported("The body must be UTF-8 JSON; leave out the charset or send charset=utf-8.");
        }

        return null;
    }

    /// <summary>
    /// A compressed body would otherwise be read as JSON and refused as "not valid UTF-8", which sends the caller
    /// looking in the wrong place; task requests are small, so compression buys nothing.
    /// </summary>
    private static ProblemHttpResult? CheckContentEncoding(IHeaderDictionary headers)
    {
        if (headers.ContentEncoding.Count == 0)
        {
            return null;
        }

        const StringSplitOptions Tokens = StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries;
        var codings = headers.ContentEncoding.SelectMany(value => (value ?? "").Split(',', Tokens));
        if (codings.All(coding => coding.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return Problems.Create(
            StatusCodes.Status415UnsupportedMediaType,
            "The request body's content encoding is not supported.",
            "The gateway reads request bodies uncompressed: send the JSON without a Content-Encoding header "
            + "(or with Content-Encoding: identity).");
    }

    private static ProblemHttpResult Unsupported(string detail) =>
        Problems.Create(
            StatusCodes.Status415UnsupportedMediaType,
            "The request body's media type is not supported.",
            detail);

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Create(
            StatusCodes.Status413PayloadTooLarge,
            "The request body is too large.",
            $"The request body is larger than {maxBytes} bytes; a task request is a small JSON object.");
}

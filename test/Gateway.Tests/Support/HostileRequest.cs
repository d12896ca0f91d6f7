using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Primitives;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// One malformed or hostile request and what the gateway must answer: the status, and the field at fault
/// (an <c>errors</c> key for 400, words of the <c>detail</c> otherwise).
/// </summary>
public sealed record HostileRequest
{
    public const string DefaultUser = "hostile-tester";

    public required string Name { get; init; }

    public string Method { get; init; } = HttpMethods.Post;

    public string Path { get; init; } = "/tasks";

    public string? QueryString { get; init; }

    public string? ContentType { get; init; } = "application/json";

    public byte[]? Body { get; init; }

    /// <summary>Send the body without a Content-Length, as a chunked upload would.</summary>
    public bool UnknownLength { get; init; }

    /// <summary>Headers besides the content type; a user header is added unless these set one.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public bool SendUserHeader { get; init; } = true;

    public required int ExpectedStatus { get; init; }

    /// <summary>For 400: a key of <c>errors</c>. For other statuses: words the <c>detail</c> must contain.</summary>
    public required string FieldAtFault { get; init; }

    /// <summary>True when only the task grain can tell what is wrong (an unknown task type, say).</summary>
    public bool NeedsCluster { get; init; }

    public string UserId => Headers.FirstOrDefault(h => h.Key == "X-User-Id").Value ?? DefaultUser;

    public static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>The JSON compressed with gzip, as a client that compresses its uploads sends it.</summary>
    public static byte[] Gzip(string json)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(Json(json));
        }

        return compressed.ToArray();
    }

    public override string ToString() => Name;

    /// <summary>Sends the request through the gateway's real pipeline, byte for byte as described.</summary>
    public async Task<(int Status, string? ContentType, string Body)> SendAsync(
        TestServer server,
        CancellationToken cancellationToken)
    {
        var context = await server.SendAsync(
            c =>
            {
                var request = c.Request;
                request.Method = Method;
                request.Path = new PathString(Path);
                request.QueryString = QueryString is null
                    ? Microsoft.AspNetCore.Http.QueryString.Empty
                    : new Microsoft.AspNetCore.Http.QueryString(QueryString);
                if (SendUserHeader && Headers.All(h => h.Key != "X-User-Id"))
                {
                    request.Headers["X-User-Id"] = DefaultUser;
                }

                // Set, not appended: appending an empty value drops it, and an empty header is a case here.
                foreach (var header in Headers.GroupBy(h => h.Key))
                {
                    request.Headers[header.Key] = new StringValues([.. header.Select(h => h.Value)]);
                }

                if (ContentType is not null)
                {
                    request.ContentType = ContentType;
                }

                if (Body is not null)
                {
                    request.Body = new MemoryStream(Body);
                    request.ContentLength = UnknownLength ? null : Body.Length;
                }
            },
            cancellationToken);

        using var reader = new StreamReader(context.Response.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        return (context.Response.StatusCode, context.Response.ContentType, body);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskQueue.ClientSample;

/// <summary>
/// A task as the HTTP API writes it: snake_case names, lowercase enum values, and <c>params</c> for the parameters
/// (the contracts' <c>Parameters</c>), so that a task read here compares field for field with one read over HTTP.
/// </summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = new HttpApiNaming(),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,

        // Console output, never embedded in HTML: "it's" reads better than "it\u0027s".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed class HttpApiNaming : JsonNamingPolicy
    {
        public override string ConvertName(string name) =>
            name == "Parameters" ? "params" : SnakeCaseLower.ConvertName(name);
    }
}

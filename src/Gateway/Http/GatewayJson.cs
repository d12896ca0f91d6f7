using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskQueue.Gateway.Http;

/// <summary>The one JSON shape of the HTTP API: snake_case names, enums as snake_case names, nulls written.</summary>
internal static class GatewayJson
{
    /// <summary>Applies the API's conventions to the serializer options minimal APIs and problem details use.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;

        // Dictionary keys are data (parameter names, field paths in errors), never renamed.
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}

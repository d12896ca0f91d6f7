using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskQueue.Grains.Storage;

/// <summary>
/// The one JSON form every store writes a task record in: snake_case, enums as names, no type names, so
/// rows stay readable with plain SQL and survive renaming a .NET type.
/// </summary>
public static class TaskRecordJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(TaskRecord record) => JsonSerializer.Serialize(record, Options);

    public static byte[] SerializeToUtf8Bytes(TaskRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Options);

    public static TaskRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<TaskRecord>(json, Options)
        ?? throw new JsonException("A stored task record is the JSON literal null.");

    public static TaskRecord Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<TaskRecord>(utf8Json, Options)
        ?? throw new JsonException("A stored task record is the JSON literal null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

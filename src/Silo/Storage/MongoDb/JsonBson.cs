using System.Text.Json;
using MongoDB.Bson;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Moves a JSON value into BSON and back without any interpretation: no extended JSON (a key named
/// <c>$date</c> is not a date), strings stay strings, integers keep their width. It only carries what
/// System.Text.Json writes, so the stored record mirrors <c>TaskRecordJson</c> exactly and reads back through it.
/// </summary>
internal static class JsonBson
{
    /// <summary>A JSON object as a BSON document; refuses names MongoDB cannot hold as field names.</summary>
    public static BsonDocument ToDocument(JsonElement element)
    {
        if (element.ValueKind is not JsonValueKind.Object)
        {
            throw new ArgumentException(
                $"Only a JSON object becomes a document, not {element.ValueKind}.", nameof(element));
        }

        var document = new BsonDocument();
        foreach (var property in element.EnumerateObject())
        {
            CheckFieldName(property.Name);
            document.Add(property.Name, ToValue(property.Value));
        }

        return document;
    }

    /// <summary>Writes a BSON value as JSON; refuses BSON types that no JSON written by us turns into.</summary>
    public static void WriteJson(BsonValue value, Utf8JsonWriter writer)
    {
        switch (value.BsonType)
        {
            case BsonType.Document:
                writer.WriteStartObject();
                foreach (var element in value.AsBsonDocument)
                {
                    writer.WritePropertyName(element.Name);
                    WriteJson(element.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case BsonType.Array:
                writer.WriteStartArray();
                foreach (var item in value.AsBsonArray)
                {
                    WriteJson(item, writer);
                }

                writer.WriteEndArray();
                break;
            case BsonType.String:
                writer.WriteStringValue(value.AsString);
                break;
            case BsonType.Int32:
                writer.WriteNumberValue(value.AsInt32);
                break;
            case BsonType.Int64:
                writer.WriteNumberValue(value.AsInt64);
                break;
            case BsonType.Double:
                writer.WriteNumberValue(value.AsDouble);
                break;
            case BsonType.Boolean:
                writer.WriteBooleanValue(value.AsBoolean);
                break;
            case BsonType.Null:
                writer.WriteNullValue();
                break;
            default:
                throw new InvalidDataException(
                    $"A stored task record holds a BSON {value.BsonType}, which its JSON form never has; the "
                    + "document was changed by something other than TaskQueue.");
        }
    }

    private static BsonValue ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToDocument(element),
        JsonValueKind.Array => new BsonArray(element.EnumerateArray().Select(ToValue)),
        JsonValueKind.String => new BsonString(element.GetString()),
        JsonValueKind.Number when element.TryGetInt32(out var small) => new BsonInt32(small),
        JsonValueKind.Number when element.TryGetInt64(out var large) => new BsonInt64(large),
        JsonValueKind.Number => new BsonDouble(element.GetDouble()),
        JsonValueKind.True => BsonBoolean.True,
        JsonValueKind.False => BsonBoolean.False,
        JsonValueKind.Null => BsonNull.Value,
        _ => throw new ArgumentException($"JSON value kind {element.ValueKind} has no BSON form.", nameof(element)),
    };

    // Record fields are fixed snake_case names; parameter names are the only free ones, and task type settings
    // already restrict them to [a-z][a-z0-9_]*. These are the names MongoDB would reject or read as operators.
    private static void CheckFieldName(string name)
    {
        if (name.StartsWith('$')
            || name.Contains('.', StringComparison.Ordinal)
            || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{name}' cannot be stored as a MongoDB field name (it starts with $ or holds a dot or NUL); "
                + "parameter names must be letters, digits and underscores.");
        }
    }
}

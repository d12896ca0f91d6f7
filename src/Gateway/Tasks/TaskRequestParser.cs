using System.Text.Json;
using System.Text.Unicode;

namespace TaskQueue.Gateway.Tasks;

/// <summary>
/// Reads <c>{"task_request": {"task_type": "...", "params": {"name": "value"}}}</c> strictly: no comments, no
/// trailing commas, no duplicate names, bounded depth, no unknown fields, string parameters only. Whether the
/// task type exists and its parameters fit is the task grain's call; this checks only the shape.
/// </summary>
internal static class TaskRequestParser
{
    public const string BodyField = "body";
    public const string TaskRequestField = "task_request";
    public const string TaskTypeField = "task_request.task_type";
    public const string ParamsField = "task_request.params";
    public const int MaxTaskTypeLength = 64;
    public const int MaxParameters = 32;
    public const int MaxParameterNameLength = 64;

    // The request is three objects deep; a little room lets a nested value be named precisely instead of
    // failing the whole parse, while a hostile [[[[... stops early.
    public const int MaxDepth = 8;

    private const int MaxEchoedNameLength = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static TaskRequestParseResult Parse(ReadOnlyMemory<byte> body)
    {
        // RFC 8259 lets a parser ignore a byte order mark; some Windows tools still write one.
        if (body.Span.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        var errors = new FieldErrors();
        if (body.IsEmpty)
        {
            errors.Add(
                BodyField,
                """The request body is empty; send {"task_request": {"task_type": "...", "params": {...}}}.""");
            return TaskRequestParseResult.Invalid(errors);
        }

        // Checked up front: the parser leaves invalid UTF-8 inside strings for the first read to trip over.
        if (!Utf8.IsValid(body.Span))
        {
            errors.Add(BodyField, "The request body is not valid UTF-8 text.");
            return TaskRequestParseResult.Invalid(errors);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            errors.Add(BodyField, $"The request body is not valid JSON: {Describe(e)}");
            return TaskRequestParseResult.Invalid(errors);
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check decodes every name, and a name escaping a lone surrogate is not text.
            errors.Add(BodyField, "A field name in the request body is not valid Unicode text (it escapes a lone surrogate).");
            return TaskRequestParseResult.Invalid(errors);
        }

        using (document)
        {
            var request = ReadBody(document.RootElement, errors);
            return request is not null && errors.IsEmpty
                ? TaskRequestParseResult.Valid(request)
                : TaskRequestParseResult.Invalid(errors);
        }
    }

    private static TaskRequestInput? ReadBody(JsonElement root, FieldErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(
                BodyField,
                $"The request body must be a JSON object with a task_request field, not {KindOf(root)}.");
            return null;
        }

        JsonElement? taskRequest = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!TryGetName(property, "", errors, out var name))
            {
                continue;
            }

            if (name == TaskRequestField)
            {
                taskRequest = property.Value;
            }
            else
            {
                errors.Add(Echo(name), "Unknown field: the body has only task_request.");
            }
        }

        if (taskRequest is not { } value)
        {
            errors.Add(TaskRequestField, "Required: an object with task_type and params.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(TaskRequestField, $"Must be an object with task_type and params, not {KindOf(value)}.");
            return null;
        }

        return ReadTaskRequest(value, errors);
    }

    private static TaskRequestInput? ReadTaskRequest(JsonElement taskRequest, FieldErrors errors)
    {
        JsonElement? taskTypeElement = null;
        JsonElement? paramsElement = null;
        foreach (var property in taskRequest.EnumerateObject())
        {
            if (!TryGetName(property, TaskRequestField, errors, out var name))
            {
                continue;
            }

            switch (name)
            {
                case "task_type":
                    taskTypeElement = property.Value;
                    break;
                case "params":
                    paramsElement = property.Value;
                    break;
                default:
                    errors.Add(
                        $"{TaskRequestField}.{Echo(name)}",
                        "Unknown field: task_request has only task_type and params.");
                    break;
            }
        }

        var taskType = ReadTaskType(taskTypeElement, errors);
        var parameters = ReadParameters(paramsElement, errors);
        return taskType is null || parameters is null ? null : new TaskRequestInput(taskType, parameters);
    }

    private static string? ReadTaskType(JsonElement? element, FieldErrors errors)
    {
        if (element is not { } value)
        {
            errors.Add(
                TaskTypeField,
                """Required: the name of a task type, for example "syft" (see GET /task-types).""");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(TaskTypeField, $"Must be a string, not {KindOf(value)}.");
            return null;
        }

        if (!TryGetString(value, TaskTypeField, errors, out var taskType))
        {
            return null;
        }

        if (taskType.Length == 0)
        {
            errors.Add(TaskTypeField, "Must not be empty.");
            return null;
        }

        if (taskType.Length > MaxTaskTypeLength)
        {
            errors.Add(TaskTypeField, $"Is longer than {MaxTaskTypeLength} characters.");
            return null;
        }

        if (!taskType.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(TaskTypeField, "May contain only ASCII letters, digits, '-', '_' and '.'.");
            return null;
        }

        return taskType;
    }

    private static Dictionary<string, string>? ReadParameters(JsonElement? element, FieldErrors errors)
    {
        if (element is not { } value)
        {
            errors.Add(ParamsField, "Required: an object of string parameters; {} when the task type takes none.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(ParamsField, $"Must be an object of string parameters, not {KindOf(value)}.");
            return null;
        }

        var count = value.GetPropertyCount();
        if (count > MaxParameters)
        {
            errors.Add(ParamsField, $"Has {count} parameters; at most {MaxParameters} are accepted.");
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var property in value.EnumerateObject())
        {
            valid &= TryReadParameter(property, errors, parameters);
        }

        return valid ? parameters : null;
    }

    private static bool TryReadParameter(
        JsonProperty property,
        FieldErrors errors,
        Dictionary<string, string> parameters)
    {
        if (!TryGetName(property, ParamsField, errors, out var name))
        {
            return false;
        }

        var field = $"{ParamsField}.{Echo(name)}";
        if (name.Length == 0)
        {
            errors.Add(field, "A parameter name must not be empty.");
            return false;
        }

        if (name.Length > MaxParameterNameLength
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add(
                field,
                $"A parameter name is 1-{MaxParameterNameLength} ASCII letters, digits, '-' and '_'.");
            return false;
        }

        if (property.Value.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, $"Must be a string, not {KindOf(property.Value)}: parameters are strings.");
            return false;
        }

        if (!TryGetString(property.Value, field, errors, out var text))
        {
            return false;
        }

        if (text.Any(char.IsControl))
        {
            errors.Add(field, "Must not contain control characters (line breaks, tabs, NUL, ...).");
            return false;
        }

        parameters[name] = text;
        return true;
    }

    // A JSON escape can spell UTF-16 that is not text (a lone surrogate); reading it throws.
    private static bool TryGetString(JsonElement element, string field, FieldErrors errors, out string text)
    {
        try
        {
            text = element.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            errors.Add(field, "Is not valid Unicode text (it escapes a lone surrogate).");
            text = "";
            return false;
        }
    }

    private static bool TryGetName(JsonProperty property, string parent, FieldErrors errors, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            errors.Add(parent.Length == 0 ? BodyField : parent, "A field name is not valid Unicode text.");
            name = "";
            return false;
        }
    }

    // Names come from the caller and go back in the answer's error keys: keep them short.
    private static string Echo(string name) =>
        name.Length <= MaxEchoedNameLength ? name : string.Concat(name.AsSpan(0, MaxEchoedNameLength), "…");

    private static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonException exception)
    {
        // The reader's message ends with its 0-based position and sometimes advice about reader options, which
        // the caller cannot change; keep the reason and state the position 1-based.
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = message
            .Replace(" Change the reader options.", "", StringComparison.Ordinal)
            .Replace(" which is not supported in this mode", "", StringComparison.Ordinal)
            .Replace(" encountered during deserialization", "", StringComparison.Ordinal)
            .TrimEnd();
        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"{message} (line {line + 1}, byte {position + 1})"
            : message;
    }
}

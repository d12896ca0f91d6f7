using System.Text;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>The table of malformed and hostile requests every gateway configuration must refuse.</summary>
public static class HostileRequests
{
    private const string TaskType = "task_request.task_type";
    private const string Params = "task_request.params";
    private const string Image = "task_request.params.docker_image_id";
    private const string BodyField = "body";

    public static IReadOnlyList<HostileRequest> All { get; } = Build();

    /// <summary>The cases the gateway decides alone, by name.</summary>
    public static TheoryData<string> WithoutCluster() =>
        [.. All.Where(c => !c.NeedsCluster).Select(c => c.Name)];

    /// <summary>Every case, by name.</summary>
    public static TheoryData<string> Every() => [.. All.Select(c => c.Name)];

    public static HostileRequest Named(string name) => All.Single(c => c.Name == name);

    private static string Request(string taskType, string @params) =>
        $$$"""{"task_request": {"task_type": {{{taskType}}}, "params": {{{@params}}}}}""";

    private static HostileRequest Body(string name, string json, string field, bool needsCluster = false) =>
        new()
        {
            Name = name,
            Body = HostileRequest.Json(json),
            ExpectedStatus = StatusCodes.Status400BadRequest,
            FieldAtFault = field,
            NeedsCluster = needsCluster,
        };

    private static HostileRequest Header(string name, string value, int status) =>
        new()
        {
            Name = name,
            Method = HttpMethods.Get,
            Headers = [new("X-User-Id", value)],
            ExpectedStatus = status,
            FieldAtFault = "X-User-Id",
        };

    private static HostileRequest Query(string name, string query, string field) =>
        new()
        {
            Name = name,
            Method = HttpMethods.Get,
            QueryString = query,
            ContentType = null,
            ExpectedStatus = StatusCodes.Status400BadRequest,
            FieldAtFault = field,
        };

    private static HostileRequest IdempotencyKey(string name, params string[] values) =>
        new()
        {
            Name = name,
            Body = HostileRequest.Json(Request("\"syft\"", """{"docker_image_id": "alpine:3"}""")),
            Headers = [.. values.Select(v => new KeyValuePair<string, string>("Idempotency-Key", v))],
            ExpectedStatus = StatusCodes.Status400BadRequest,
            FieldAtFault = "Idempotency-Key",
        };

    private static HostileRequest MalformedId(string name, string method, string path) =>
        new()
        {
            Name = name,
            Method = method,
            Path = path,
            ContentType = null,
            ExpectedStatus = StatusCodes.Status404NotFound,
            FieldAtFault = "no task with this id",
        };

    private static List<HostileRequest> Build() =>
    [
        // The body as a whole.
        new()
        {
            Name = "no body and no content type",
            ContentType = null,
            ExpectedStatus = StatusCodes.Status415UnsupportedMediaType,
            FieldAtFault = "Content-Type",
        },
        Body("empty body", "", "body"),
        Body("whitespace body", "  \n\t ", "body"),
        Body("not JSON", "docker_image_id=ubuntu", "body"),
        Body("JSON array", "[]", "body"),
        Body("JSON null", "null", "body"),
        Body("JSON string", "\"syft\"", "body"),
        Body("JSON number", "42", "body"),
        new()
        {
            Name = "wrong content type",
            ContentType = "text/plain",
            Body = HostileRequest.Json(Request("\"syft\"", """{"docker_image_id": "alpine:3"}""")),
            ExpectedStatus = StatusCodes.Status415UnsupportedMediaType,
            FieldAtFault = "Content-Type",
        },
        new()
        {
            Name = "form content type",
            ContentType = "application/x-www-form-urlencoded",
            Body = HostileRequest.Json("task_type=syft"),
            ExpectedStatus = StatusCodes.Status415UnsupportedMediaType,
            FieldAtFault = "Content-Type",
        },
        new()
        {
            Name = "JSON in another charset",
            ContentType = "application/json; charset=iso-8859-1",
            Body = HostileRequest.Json(Request("\"syft\"", """{"docker_image_id": "alpine:3"}""")),
            ExpectedStatus = StatusCodes.Status415UnsupportedMediaType,
            FieldAtFault = "UTF-8",
        },
        new()
        {
            Name = "gzip-compressed body",
            Body = HostileRequest.Gzip(Request("\"syft\"", """{"docker_image_id": "alpine:3"}""")),
            Headers = [new("Content-Encoding", "gzip")],
            ExpectedStatus = StatusCodes.Status415UnsupportedMediaType,
            FieldAtFault = "Content-Encoding",
        },
        new()
        {
            Name = "body in a chain of encodings",
            Body = HostileRequest.Json(Request("\"syft\"", """{"docker_image_id": "alpine:3"}""")),
            Headers = [new("Content-Encoding", "identity, br")],
            ExpectedStatus = StatusCodes.Status415UnsupportedMediaType,
            FieldAtFault = "Content-Encoding",
        },
        new()
        {
            Name = "huge body",
            Body = HostileRequest.Json(Request("\"syft\"", $$"""{"docker_image_id": "{{new string('a', 70_000)}}"}""")),
            ExpectedStatus = StatusCodes.Status413PayloadTooLarge,
            FieldAtFault = "request body",
        },
        new()
        {
            Name = "huge body of unknown length",
            Body = HostileRequest.Json(Request("\"syft\"", $$"""{"docker_image_id": "{{new string('a', 70_000)}}"}""")),
            UnknownLength = true,
            ExpectedStatus = StatusCodes.Status413PayloadTooLarge,
            FieldAtFault = "request body",
        },
        Body("deep nesting", new string('[', 10_000) + new string(']', 10_000), "body"),
        Body(
            "deeply nested parameter",
            Request("\"syft\"", """{"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": "i"}}}}}}}}"""),
            "body"),
        Body(
            "duplicate keys",
            """{"task_request": {"task_type": "syft", "task_type": "other", "params": {}}}""",
            "body"),
        Body(
            "duplicate parameter",
            Request("\"syft\"", """{"docker_image_id": "a:1", "docker_image_id": "b:2"}"""),
            "body"),
        Body(
            "trailing comma",
            """{"task_request": {"task_type": "syft", "params": {"docker_image_id": "a:1"},}}""",
            "body"),
        Body("comment", """{"task_request": /* hi */ {"task_type": "syft", "params": {}}}""", "body"),
        Body("single quotes", "{'task_request': {}}", "body"),
        Body("two JSON values", """{"task_request": {}} {"task_request": {}}""", "body"),
        new()
        {
            Name = "invalid UTF-8",
            Body = [.. Encoding.UTF8.GetBytes("""{"task_request": {"task_type": "sy"""), 0xC3, 0x28, .. "\"}}"u8],
            ExpectedStatus = StatusCodes.Status400BadRequest,
            FieldAtFault = "body",
        },

        // task_request.
        Body("task_request missing", "{}", "task_request"),
        Body("task_request null", """{"task_request": null}""", "task_request"),
        Body("task_request string", """{"task_request": "syft"}""", "task_request"),
        Body("task_request array", """{"task_request": [{"task_type": "syft"}]}""", "task_request"),
        Body(
            "extra top-level field",
            """{"task_request": {"task_type": "syft", "params": {}}, "priority": "high"}""",
            "priority"),
        Body(
            "extra task_request field",
            """{"task_request": {"task_type": "syft", "params": {}, "retries": "9"}}""",
            "task_request.retries"),

        // task_type.
        Body("task_type missing", """{"task_request": {"params": {"docker_image_id": "a:1"}}}""", TaskType),
        Body("task_type null", Request("null", "{}"), TaskType),
        Body("task_type number", Request("7", "{}"), TaskType),
        Body("task_type object", Request("""{"name": "syft"}""", "{}"), TaskType),
        Body("task_type empty", Request("\"\"", "{}"), TaskType),
        Body("task_type too long", Request($"\"{new string('s', 65)}\"", "{}"), TaskType),
        Body("task_type with control characters", Request("\"sy\\u0000ft\\n\"", "{}"), TaskType),
        Body("task_type with a path", Request("\"../../etc/passwd\"", "{}"), TaskType),
        Body("task_type with a lone surrogate", Request("\"sy\\ud800ft\"", "{}"), TaskType),
        Body("field name with a lone surrogate", """{"\ud800": 1}""", BodyField),
        Body("task_request field name with a lone surrogate", """{"task_request": {"\udc00x": 1}}""", BodyField),
        Body("parameter name with a lone surrogate", Request("\"syft\"", """{"ok\udfff": "a"}"""), BodyField),
        Body(
            "task_type unknown",
            Request("\"no-such-type\"", """{"docker_image_id": "a:1"}"""),
            TaskType,
            needsCluster: true),

        // params.
        Body("params missing", """{"task_request": {"task_type": "syft"}}""", Params),
        Body("params null", Request("\"syft\"", "null"), Params),
        Body("params array", Request("\"syft\"", """["ubuntu:24.04"]"""), Params),
        Body("params string", Request("\"syft\"", "\"ubuntu:24.04\""), Params),
        Body("params with a number value", Request("\"syft\"", """{"docker_image_id": 2404}"""), Image),
        Body("params with a boolean value", Request("\"syft\"", """{"docker_image_id": true}"""), Image),
        Body("params with a null value", Request("\"syft\"", """{"docker_image_id": null}"""), Image),
        Body("params with a nested object", Request("\"syft\"", """{"docker_image_id": {"name": "ubuntu"}}"""), Image),
        Body("params with an array value", Request("\"syft\"", """{"docker_image_id": ["ubuntu"]}"""), Image),
        Body(
            "params value with control characters",
            Request("\"syft\"", """{"docker_image_id": "ubuntu\r\nX-Evil: 1"}"""),
            Image),
        Body(
            "params name with spaces",
            Request("\"syft\"", """{"docker image": "ubuntu"}"""),
            "task_request.params.docker image"),
        Body("params name empty", Request("\"syft\"", """{"": "ubuntu"}"""), "task_request.params."),
        Body(
            "too many params",
            Request("\"syft\"", "{" + string.Join(", ", Enumerable.Range(0, 33).Select(i => $"\"p{i}\": \"v\"")) + "}"),
            Params),
        Body(
            "params with an extra parameter",
            Request("\"syft\"", """{"docker_image_id": "alpine:3", "platform": "arm"}"""),
            "task_request.params.platform",
            needsCluster: true),
        Body("params without the required one", Request("\"syft\"", "{}"), Image, needsCluster: true),
        Body(
            "params value over its max length",
            Request("\"syft\"", $$"""{"docker_image_id": "{{new string('a', 5000)}}"}"""),
            Image,
            needsCluster: true),

        // The identity header.
        new()
        {
            Name = "user header missing",
            Method = HttpMethods.Get,
            SendUserHeader = false,
            ContentType = null,
            ExpectedStatus = StatusCodes.Status401Unauthorized,
            FieldAtFault = "X-User-Id",
        },
        new()
        {
            Name = "user header missing on submit",
            SendUserHeader = false,
            Body = HostileRequest.Json(Request("\"syft\"", """{"docker_image_id": "alpine:3"}""")),
            ExpectedStatus = StatusCodes.Status401Unauthorized,
            FieldAtFault = "X-User-Id",
        },
        Header("user header empty", "", StatusCodes.Status401Unauthorized),
        Header("user header too long", new string('u', 129), StatusCodes.Status400BadRequest),
        Header("user header with spaces", "alice smith", StatusCodes.Status400BadRequest),
        Header("user header with non-ASCII", "jürgen", StatusCodes.Status400BadRequest),
        Header("user header with a slash", "alice/../bob", StatusCodes.Status400BadRequest),
        new()
        {
            Name = "user header twice",
            Method = HttpMethods.Get,
            Headers = [new("X-User-Id", "alice"), new("X-User-Id", "bob")],
            ExpectedStatus = StatusCodes.Status400BadRequest,
            FieldAtFault = "X-User-Id",
        },
        new()
        {
            Name = "user header missing on task types",
            Method = HttpMethods.Get,
            Path = "/task-types",
            SendUserHeader = false,
            ContentType = null,
            ExpectedStatus = StatusCodes.Status401Unauthorized,
            FieldAtFault = "X-User-Id",
        },

        // The listing's query.
        Query("limit zero", "?limit=0", "limit"),
        Query("limit negative", "?limit=-1", "limit"),
        Query("limit over the maximum", "?limit=101", "limit"),
        Query("limit not a number", "?limit=abc", "limit"),
        Query("limit with a sign", "?limit=+5", "limit"),
        Query("limit huge", "?limit=99999999999999999999", "limit"),
        Query("limit twice", "?limit=5&limit=6", "limit"),
        Query("status unknown", "?status=done", "status"),
        Query("status in capitals", "?status=Queued", "status"),
        Query("cursor garbage", "?cursor=not-a-cursor", "cursor"),
        Query("cursor of the wrong length", "?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor"),
        Query("cursor with a negative time", "?cursor=" + new string('_', 32), "cursor"),
        Query("unknown query parameter", "?stauts=failed", "stauts"),

        // Idempotency-Key.
        IdempotencyKey("idempotency key empty", ""),
        IdempotencyKey("idempotency key with spaces", "my key"),
        IdempotencyKey("idempotency key too long", new string('k', 129)),
        IdempotencyKey("idempotency key non-ASCII", "schlüssel"),
        IdempotencyKey("idempotency key twice", "one", "two"),

        // Task ids: malformed ones are answered like a task that does not exist.
        MalformedId("malformed task id", HttpMethods.Get, "/tasks/not-a-task-id"),
        MalformedId("task id without dashes", HttpMethods.Get, "/tasks/0192f0c1a2b37c4d8e9f0a1b2c3d4e5f"),
        MalformedId("malformed task id on cancel", HttpMethods.Post, "/tasks/12345/cancel"),
        MalformedId("malformed task id on result", HttpMethods.Get, "/tasks/' OR 1=1--/result"),
    ];
}

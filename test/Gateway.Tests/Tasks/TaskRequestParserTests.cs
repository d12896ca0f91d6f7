using System.Text;
using TaskQueue.Gateway.Tasks;
using Xunit;

namespace TaskQueue.Gateway.Tests.Tasks;

public sealed class TaskRequestParserTests
{
    [Fact]
    public void Parse_OriginalSystemsBody_ReadsTypeAndParameters()
    {
        var result = Parse(
            """{"task_request": {"task_type": "syft", "params": {"docker_image_id": "ubuntu:24.04"}}}""");

        Assert.NotNull(result.Request);
        Assert.Equal("syft", result.Request.TaskType);
        Assert.Equal(
            new Dictionary<string, string> { ["docker_image_id"] = "ubuntu:24.04" },
            result.Request.Parameters);
    }

    [Fact]
    public void Parse_EmptyParams_IsAValidShape()
    {
        var result = Parse("""{"task_request": {"params": {}, "task_type": "cleanup"}}""");

        Assert.NotNull(result.Request);
        Assert.Empty(result.Request.Parameters);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        var body = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("""{"task_request": {"task_type": "syft", "params": {}}}"""))
            .ToArray();

        var result = TaskRequestParser.Parse(body);

        Assert.Equal("syft", result.Request?.TaskType);
    }

    [Fact]
    public void Parse_EscapedText_IsUnescaped()
    {
        var result = Parse("""{"task_request": {"task_type": "sy\u0066t", "params": {"docker_image_id": "a\/b:1"}}}""");

        Assert.Equal("syft", result.Request?.TaskType);
        Assert.Equal("a/b:1", result.Request?.Parameters["docker_image_id"]);
    }

    [Fact]
    public void Parse_SeveralFaults_ReportsEachField()
    {
        var result = Parse("""{"task_request": {"task_type": 1, "params": {"a": 2, "b": "ok", "c": []}, "x": "y"}}""");

        Assert.Null(result.Request);
        var errors = result.Errors!.ToDictionary();
        Assert.Equal(
            ["task_request.params.a", "task_request.params.c", "task_request.task_type", "task_request.x"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("4 fields are invalid; see errors.", result.Errors.Summary());
    }

    [Fact]
    public void Parse_ThousandsOfUnknownFields_ReportsABoundedNumber()
    {
        var fields = string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"\"f{i}\": 1"));

        var result = Parse("{" + fields + """, "task_request": {"task_type": "syft", "params": {}}}""");

        var errors = result.Errors!.ToDictionary();
        Assert.Equal(FieldErrors.MaxFields, errors.Count);
        Assert.Equal(2000 - FieldErrors.MaxFields, result.Errors.Omitted);
        Assert.Contains("2000 fields are invalid", result.Errors.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongUnknownFieldName_IsShortenedInTheErrorKey()
    {
        var name = new string('n', 10_000);

        var result = Parse("{\"" + name + "\": 1, \"task_request\": {\"task_type\": \"syft\", \"params\": {}}}");

        var key = Assert.Single(result.Errors!.ToDictionary().Keys);
        Assert.True(key.Length <= 65, $"The key is {key.Length} characters long.");
        Assert.StartsWith("nnnn", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxError_StatesTheOneBasedPosition()
    {
        var result = Parse("{\n  \"task_request\": ,\n}");

        var message = Assert.Single(result.Errors!.ToDictionary()["body"]);
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MaxParameters_IsAccepted()
    {
        var parameters = string.Join(
            ", ",
            Enumerable.Range(0, TaskRequestParser.MaxParameters).Select(i => $"\"p{i}\": \"v\""));

        var result = Parse("""{"task_request": {"task_type": "t", "params": {""" + parameters + "}}}");

        Assert.Equal(TaskRequestParser.MaxParameters, result.Request?.Parameters.Count);
    }

    [Fact]
    public void Parse_LongestTaskType_IsAccepted()
    {
        var taskType = new string('t', TaskRequestParser.MaxTaskTypeLength);

        var result = Parse("{\"task_request\": {\"task_type\": \"" + taskType + "\", \"params\": {}}}");

        Assert.Equal(taskType, result.Request?.TaskType);
    }

    private static TaskRequestParseResult Parse(string json) => TaskRequestParser.Parse(Encoding.UTF8.GetBytes(json));
}

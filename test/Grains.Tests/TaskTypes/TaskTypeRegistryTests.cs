using Microsoft.Extensions.Options;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.TaskTypes;
using Xunit;

namespace TaskQueue.Grains.Tests.TaskTypes;

public sealed class TaskTypeRegistryTests
{
    private const string Sha256 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TaskTypeRegistry _registry = new(Options.Create(TaskTypeSamples.Options()));

    [Fact]
    public void Check_ValidSubmission_FillsDefaults()
    {
        var errors = new List<FieldError>();

        var (type, parameters) = _registry.Check(Submission(new() { ["docker_image_id"] = "ubuntu:24.04" }), errors);

        Assert.Empty(errors);
        Assert.Equal("syft", type?.Name);
        Assert.Equal("cyclonedx-json", parameters["format"]);
        Assert.Equal("ubuntu:24.04", parameters["docker_image_id"]);
    }

    [Theory]
    [InlineData("docker_image_id", "--help", "params.docker_image_id", "must not start with '-'")]
    [InlineData("docker_image_id", "ubuntu 24.04", "params.docker_image_id", "expected an image reference such as")]
    [InlineData("docker_image_id", "http://evil/x", "params.docker_image_id", "expected an image reference such as")]
    [InlineData("docker_image_id", "docker-archive:/etc/passwd", "params.docker_image_id", "expected form")]
    [InlineData("docker_image_id", "user@127.0.0.1:18500/x", "params.docker_image_id", "expected form")]
    [InlineData("docker_image_id", "ubuntu\n", "params.docker_image_id", "control characters")]
    [InlineData("format", "xml", "params.format", "cyclonedx-json, spdx-json")]
    [InlineData("colour", "blue", "params.colour", "takes: docker_image_id, format")]
    public void Check_BadParameter_NamesTheParameter(string name, string value, string field, string said)
    {
        var parameters = new Dictionary<string, string> { ["docker_image_id"] = "alpine", [name] = value };
        var errors = new List<FieldError>();

        var (type, _) = _registry.Check(Submission(parameters), errors);

        Assert.Null(type);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[::1]:18500/team/app:1.0")]
    [InlineData("registry.example:5000/team/app@" + Sha256)]
    public void Check_ValidReferenceTheOldPatternGotWrong_IsAccepted(string image)
    {
        var errors = new List<FieldError>();

        var (type, parameters) = _registry.Check(Submission(new() { ["docker_image_id"] = image }), errors);

        Assert.Empty(errors);
        Assert.NotNull(type);
        Assert.Equal(image, parameters["docker_image_id"]);
    }

    [Fact]
    public void Check_TooLongValue_IsRefused()
    {
        var errors = new List<FieldError>();

        _registry.Check(Submission(new() { ["docker_image_id"] = new string('a', 513) }), errors);

        Assert.Equal("params.docker_image_id", Assert.Single(errors).Field);
    }

    [Fact]
    public void Check_MissingRequiredParameter_IsRefused()
    {
        var errors = new List<FieldError>();

        _registry.Check(Submission([]), errors);

        var error = Assert.Single(errors);
        Assert.Equal("params.docker_image_id", error.Field);
        Assert.Equal("This parameter is required.", error.Message);
    }

    [Fact]
    public void Check_UnknownTaskType_ListsTheKnownOnesAndEchoesSafely()
    {
        var errors = new List<FieldError>();

        _registry.Check(Submission([], taskType: "nope\u0001" + new string('x', 200)), errors);

        var error = Assert.Single(errors);
        Assert.Equal("task_type", error.Field);
        Assert.Contains("known task types: syft", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0001', error.Message);
        Assert.True(error.Message.Length < 150, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public void Check_BadUserId_IsRefused(string userId)
    {
        var errors = new List<FieldError>();

        _registry.Check(Submission(new() { ["docker_image_id"] = "alpine" }) with { UserId = userId }, errors);

        Assert.Equal("user_id", Assert.Single(errors).Field);
    }

    [Fact]
    public void All_ListsTypesWithTheirParameters()
    {
        var syft = Assert.Single(_registry.All);

        Assert.Equal("syft", syft.Name);
        Assert.Equal(["docker_image_id", "format"], syft.Parameters.Select(p => p.Name));
        Assert.True(syft.Parameters[0].Required);
        Assert.Equal("cyclonedx-json", syft.Parameters[1].Default);
    }

    private static TaskSubmission Submission(Dictionary<string, string> parameters, string taskType = "syft") =>
        new() { UserId = "alice", TaskType = taskType, Parameters = parameters };
}

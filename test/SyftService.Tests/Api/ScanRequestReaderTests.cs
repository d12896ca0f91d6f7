using System.Text;
using TaskQueue.SyftService.Api;
using TaskQueue.SyftService.Engines;

namespace TaskQueue.SyftService.Tests.Api;

public sealed class ScanRequestReaderTests
{
    [Theory]
    [InlineData("""{"docker_image_id": "alpine:3.20"}""", "cyclonedx-json")]
    [InlineData("""{"docker_image_id": "alpine:3.20", "format": "cyclonedx-json"}""", "cyclonedx-json")]
    [InlineData("""{"format": "spdx-json", "docker_image_id": "alpine:3.20"}""", "spdx-json")]
    [InlineData(" \n {\"docker_image_id\":\"alpine:3.20\"} \n", "cyclonedx-json")]
    public void Parse_ValidBody_ReadsImageAndFormat(string body, string format)
    {
        var (request, problem) = ScanRequestReader.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(problem);
        Assert.Equal("docker.io/library/alpine:3.20", request!.Image.ToString());
        Assert.Equal(format, request.Format.Name());
    }

    [Theory]
    [InlineData("", null, "empty")]
    [InlineData("   ", null, "empty")]
    [InlineData("{", null, "not valid JSON (line 1")]
    [InlineData("{\"docker_image_id\": \"a\",}", null, "not valid JSON")]
    [InlineData("// comment\n{}", null, "not valid JSON")]
    [InlineData("[]", null, "not an array")]
    [InlineData("\"alpine\"", null, "not a string")]
    [InlineData("null", null, "not null")]
    [InlineData("{}", "docker_image_id", "'docker_image_id' is required")]
    [InlineData("""{"format": "spdx-json"}""", "docker_image_id", "is required")]
    [InlineData("""{"docker_image_id": 42}""", "docker_image_id", "must be a string, not a number")]
    [InlineData("""{"docker_image_id": null}""", "docker_image_id", "must be a string, not null")]
    [InlineData("""{"docker_image_id": ["alpine"]}""", "docker_image_id", "not an array")]
    [InlineData("""{"docker_image_id": {"name": "alpine"}}""", "docker_image_id", "not an object")]
    [InlineData("""{"docker_image_id": ""}""", "docker_image_id", "not a valid image reference: it is empty")]
    [InlineData("""{"docker_image_id": "--help"}""", "docker_image_id", "command-line option")]
    [InlineData("""{"docker_image_id": "a", "docker_image_id": "b"}""", "docker_image_id", "more than once")]
    [InlineData("""{"docker_image_id": "alpine", "format": "xml"}""", "format", "'cyclonedx-json', 'spdx-json'")]
    [InlineData("""{"docker_image_id": "alpine", "format": "SPDX-JSON"}""", "format", "must be one of")]
    [InlineData("""{"docker_image_id": "alpine", "format": 1}""", "format", "must be one of")]
    [InlineData("""{"docker_image_id": "alpine", "format": null}""", "format", "must be one of")]
    [InlineData("""{"docker_image_id": "alpine", "image": "x"}""", null, "'image' is not known")]
    [InlineData("""{"docker_image_id": "alpine", "Docker_Image_Id": "x"}""", null, "'Docker_Image_Id' is not known")]
    public void Parse_InvalidBody_Is400NamingTheProblem(string body, string? field, string expected)
    {
        var (request, problem) = ScanRequestReader.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(request);
        Assert.Equal(400, problem!.Status);
        Assert.Equal(field, problem.Field);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
        Assert.EndsWith(".", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8_Is400()
    {
        byte[] body = [.. "{\"docker_image_id\": \""u8, 0xC3, 0x28, .. "\"}"u8];

        var (request, problem) = ScanRequestReader.Parse(body);

        Assert.Null(request);
        Assert.Contains("not valid UTF-8", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFieldWithHostileName_DoesNotRepeatIt()
    {
        var body = "{\"docker_image_id\": \"a\", \"x\\u0000\\r\\nSet-Cookie: 1\": 1}";

        var (_, problem) = ScanRequestReader.Parse(Encoding.UTF8.GetBytes(body));

        Assert.DoesNotContain("Set-Cookie", problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("is not known", problem.Detail, StringComparison.Ordinal);
    }
}

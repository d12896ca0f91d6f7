using TaskQueue.SyftService.References;

namespace TaskQueue.SyftService.Tests.References;

public sealed class ImageReferenceParserTests
{
    private const string Sha256 = ImageReferenceCases.Sha256;

    [Theory]
    [MemberData(nameof(ImageReferenceCases.Valid), MemberType = typeof(ImageReferenceCases))]
    public void TryParse_ValidReference_Normalizes(
        string input, string domain, string path, string? tag, string? digest)
    {
        Assert.True(ImageReferenceParser.TryParse(input, out var reference, out var error), error);
        Assert.Equal(new ImageReference(domain, path, tag, digest), reference);
    }

    [Fact]
    public void TryParse_LongestValidParts_AreAccepted()
    {
        var name = "r.io/" + new string('a', ImageReferenceParser.MaxNameLength - 5);
        var tag = "t" + new string('9', ImageReferenceParser.MaxTagLength - 1);
        var sha512 = "sha512:" + new string('f', 128);

        Assert.True(ImageReferenceParser.TryParse($"{name}:{tag}", out _, out var error), error);
        Assert.True(ImageReferenceParser.TryParse($"alpine@{sha512}", out _, out error), error);
    }

    [Fact]
    public void ToString_Normalized_IsCanonicalForm()
    {
        Assert.True(ImageReferenceParser.TryParse("alpine", out var reference, out _));

        Assert.Equal("docker.io/library/alpine:latest", reference.ToString());
        Assert.Equal("docker.io/library/alpine:latest", reference.ToEngineArgument());
    }

    [Fact]
    public void ToEngineArgument_TagAndDigest_KeepsOnlyTheDigest()
    {
        Assert.True(ImageReferenceParser.TryParse("alpine:3.20@" + Sha256, out var reference, out _));

        Assert.Equal("docker.io/library/alpine@" + Sha256, reference.ToEngineArgument());
        Assert.Equal(Sha256, reference.ManifestReference);
    }

    [Theory]
    [MemberData(nameof(ImageReferenceCases.Invalid), MemberType = typeof(ImageReferenceCases))]
    public void TryParse_InvalidReference_SaysWhy(string input, string expectedReason)
    {
        Assert.False(ImageReferenceParser.TryParse(input, out var reference, out var error));

        Assert.Null(reference);
        Assert.Contains(expectedReason, error, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_IsEmpty()
    {
        Assert.False(ImageReferenceParser.TryParse(null, out _, out var error));

        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OverLongValues_AreRefusedWithTheirLength()
    {
        var longName = "r.io/" + new string('a', ImageReferenceParser.MaxNameLength);
        var longTag = "alpine:" + new string('t', ImageReferenceParser.MaxTagLength + 1);
        var huge = new string('a', 100_000);

        Assert.False(ImageReferenceParser.TryParse(longName, out _, out var nameError));
        Assert.False(ImageReferenceParser.TryParse(longTag, out _, out var tagError));
        Assert.False(ImageReferenceParser.TryParse(huge, out _, out var hugeError));

        Assert.Contains("at most 255", nameError, StringComparison.Ordinal);
        Assert.Contains("at most 128", tagError, StringComparison.Ordinal);
        Assert.Contains("100000 characters long", hugeError, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HostileInput_NeverEchoesControlCharacters()
    {
        Assert.False(ImageReferenceParser.TryParse("ok\r\nX-Injected: 1", out _, out var error));

        Assert.DoesNotContain("X-Injected", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}

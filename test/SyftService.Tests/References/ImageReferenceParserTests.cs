using TaskQueue.SyftService.References;

namespace TaskQueue.SyftService.Tests.References;

public sealed class ImageReferenceParserTests
{
    private const string Sha256 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("ubuntu", "docker.io", "library/ubuntu", "latest", null)]
    [InlineData("ubuntu:24.04", "docker.io", "library/ubuntu", "24.04", null)]
    [InlineData("ubuntud", "docker.io", "library/ubuntud", "latest", null)]
    [InlineData("docker.io/ubuntu", "docker.io", "library/ubuntu", "latest", null)]
    [InlineData("index.docker.io/library/alpine:3.20", "docker.io", "library/alpine", "3.20", null)]
    [InlineData("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", null)]
    [InlineData("ghcr.io/owner/repo/sub:v1.2.3", "ghcr.io", "owner/repo/sub", "v1.2.3", null)]
    [InlineData("localhost/app", "localhost", "app", "latest", null)]
    [InlineData("localhost:5000/app:dev", "localhost:5000", "app", "dev", null)]
    [InlineData("127.0.0.1:5000/tests/busybox:1.0", "127.0.0.1:5000", "tests/busybox", "1.0", null)]
    [InlineData("[::1]:5000/app:1", "[::1]:5000", "app", "1", null)]
    [InlineData("[fe80::1]/app", "[fe80::1]", "app", "latest", null)]
    [InlineData("registry:5000/app", "registry:5000", "app", "latest", null)]
    [InlineData("Example.COM/app", "Example.COM", "app", "latest", null)]
    [InlineData("a.b-c.d/x_y/z__w/u-v/w---x/s.t", "a.b-c.d", "x_y/z__w/u-v/w---x/s.t", "latest", null)]
    [InlineData("alpine:_private", "docker.io", "library/alpine", "_private", null)]
    [InlineData("alpine@" + Sha256, "docker.io", "library/alpine", null, Sha256)]
    [InlineData("alpine:3.20@" + Sha256, "docker.io", "library/alpine", "3.20", Sha256)]
    [InlineData("localhost", "docker.io", "library/localhost", "latest", null)]
    [InlineData("localhost:5000", "docker.io", "library/localhost", "5000", null)]
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
    [InlineData("", "empty")]
    [InlineData("-x", "command-line option")]
    [InlineData("--help", "command-line option")]
    [InlineData("--output=/etc/passwd", "command-line option")]
    [InlineData("alpine latest", "whitespace")]
    [InlineData(" alpine", "whitespace")]
    [InlineData("alpine\t", "whitespace")]
    [InlineData("alpine\n--help", "whitespace")]
    [InlineData("alpine\0", "control character")]
    [InlineData("alpine\u001b[31m", "control character")]
    [InlineData("alpine\u00a0", "whitespace")]
    [InlineData("alpïne", "outside printable ASCII")]
    [InlineData("http://registry.example.com/app", "URL")]
    [InlineData("https://ghcr.io/app:1", "URL")]
    [InlineData("docker://alpine", "URL")]
    [InlineData("Ubuntu", "lowercase")]
    [InlineData("docker.io/Library/ubuntu", "lowercase")]
    [InlineData("Owner/app", "lowercase")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "64-character image id")]
    [InlineData(":latest", "no repository name")]
    [InlineData("@" + Sha256, "no repository name")]
    [InlineData("alpine:", "tag")]
    [InlineData("alpine:.hidden", "tag")]
    [InlineData("alpine:-x", "tag")]
    [InlineData("alpine:a/b", "port")]
    [InlineData("alpine:$(id)", "tag")]
    [InlineData("alpine;id", "not valid")]
    [InlineData("alpine|id", "not valid")]
    [InlineData("alpine`id`", "not valid")]
    [InlineData("a/../etc", "not valid")]
    [InlineData("app//x", "empty component")]
    [InlineData("app/", "empty component")]
    [InlineData("/app", "empty component")]
    [InlineData("a..b", "not valid")]
    [InlineData("a___b", "not valid")]
    [InlineData("_a", "not valid")]
    [InlineData("a-", "not valid")]
    [InlineData("alpine@sha256:abc", "64 lowercase hexadecimal")]
    [InlineData("alpine@sha256:" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "64 lowercase")]
    [InlineData("alpine@md5:0123456789abcdef0123456789abcdef", "not supported")]
    [InlineData("alpine@sha256", "algorithm:hex")]
    [InlineData("alpine@@" + Sha256, "not valid")]
    [InlineData("alpine@1sha:0123456789abcdef0123456789abcdef", "algorithm '1sha' is not valid")]
    [InlineData("-reg.io/app", "command-line option")]
    [InlineData("reg-.io/app", "registry host")]
    [InlineData("reg..io/app", "registry host")]
    [InlineData("reg.io:0/app", "port")]
    [InlineData("reg.io:65536/app", "port")]
    [InlineData("reg.io:abc/app", "port")]
    [InlineData("reg.io:/app", "port")]
    [InlineData("::1/app", "registry host")]
    [InlineData("[::1/app", "never closes")]
    [InlineData("[::g]/app", "IPv6")]
    [InlineData("[::1]x/app", "not a port")]
    [InlineData("user:pass@reg.io/app", "digest")]
    [InlineData("reg.io/app?x=1", "not valid")]
    [InlineData("reg.io/app#frag", "not valid")]
    [InlineData("reg.io\\app", "not valid")]
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

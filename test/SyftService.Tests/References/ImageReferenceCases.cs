namespace TaskQueue.SyftService.Tests.References;

/// <summary>
/// Image references the parser must accept (with their normalized parts) and refuse (with a word of the reason).
/// Shared with <see cref="SubmissionPatternTests"/>: the queue's check at submission must agree on every one.
/// </summary>
public static class ImageReferenceCases
{
    public const string Sha256 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>Input, domain, path, tag, digest.</summary>
    public static TheoryData<string, string, string, string?, string?> Valid => new(ValidCases);

    /// <summary>The inputs of <see cref="Valid"/> alone.</summary>
    public static TheoryData<string> ValidInputs => new(ValidCases.Select(c => c.Input));

    /// <summary>Input and a word the reason must contain.</summary>
    public static TheoryData<string, string> Invalid => new(InvalidCases);

    /// <summary>The inputs of <see cref="Invalid"/> alone.</summary>
    public static TheoryData<string> InvalidInputs => new(InvalidCases.Select(c => c.Input));

    private static readonly (string Input, string Domain, string Path, string? Tag, string? Digest)[] ValidCases =
    [
        ("ubuntu", "docker.io", "library/ubuntu", "latest", null),
        ("ubuntu:24.04", "docker.io", "library/ubuntu", "24.04", null),
        ("ubuntud", "docker.io", "library/ubuntud", "latest", null),
        ("docker.io/ubuntu", "docker.io", "library/ubuntu", "latest", null),
        ("index.docker.io/library/alpine:3.20", "docker.io", "library/alpine", "3.20", null),
        ("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", null),
        ("ghcr.io/owner/repo/sub:v1.2.3", "ghcr.io", "owner/repo/sub", "v1.2.3", null),
        ("localhost/app", "localhost", "app", "latest", null),
        ("localhost:5000/app:dev", "localhost:5000", "app", "dev", null),
        ("127.0.0.1:5000/tests/busybox:1.0", "127.0.0.1:5000", "tests/busybox", "1.0", null),
        ("[::1]:5000/app:1", "[::1]:5000", "app", "1", null),
        ("[fe80::1]/app", "[fe80::1]", "app", "latest", null),
        ("registry:5000/app", "registry:5000", "app", "latest", null),
        ("Example.COM/app", "Example.COM", "app", "latest", null),
        ("a.b-c.d/x_y/z__w/u-v/w---x/s.t", "a.b-c.d", "x_y/z__w/u-v/w---x/s.t", "latest", null),
        ("alpine:_private", "docker.io", "library/alpine", "_private", null),
        ("alpine@" + Sha256, "docker.io", "library/alpine", null, Sha256),
        ("alpine:3.20@" + Sha256, "docker.io", "library/alpine", "3.20", Sha256),
        ("localhost", "docker.io", "library/localhost", "latest", null),
        ("localhost:5000", "docker.io", "library/localhost", "5000", null),
        ("[::1]:18500/team/app:1.0", "[::1]:18500", "team/app", "1.0", null),
        ("reg.io:65535/app", "reg.io:65535", "app", "latest", null),
    ];

    private static readonly (string Input, string Reason)[] InvalidCases =
    [
        ("", "empty"),
        ("-x", "command-line option"),
        ("--help", "command-line option"),
        ("--output=/etc/passwd", "command-line option"),
        ("alpine latest", "whitespace"),
        (" alpine", "whitespace"),
        ("alpine\t", "whitespace"),
        ("alpine\n--help", "whitespace"),
        ("alpine\0", "control character"),
        ("alpine\u001b[31m", "control character"),
        ("alpine\u00a0", "whitespace"),
        ("alpïne", "outside printable ASCII"),
        ("http://registry.example.com/app", "URL"),
        ("https://ghcr.io/app:1", "URL"),
        ("docker://alpine", "URL"),
        ("Ubuntu", "lowercase"),
        ("docker.io/Library/ubuntu", "lowercase"),
        ("Owner/app", "lowercase"),
        ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "64-character image id"),
        (":latest", "no repository name"),
        ("@" + Sha256, "no repository name"),
        ("alpine:", "tag"),
        ("alpine:.hidden", "tag"),
        ("alpine:-x", "tag"),
        ("alpine:a/b", "port"),
        ("alpine:$(id)", "tag"),
        ("alpine;id", "not valid"),
        ("alpine|id", "not valid"),
        ("alpine`id`", "not valid"),
        ("a/../etc", "not valid"),
        ("app//x", "empty component"),
        ("app/", "empty component"),
        ("/app", "empty component"),
        ("a..b", "not valid"),
        ("a___b", "not valid"),
        ("_a", "not valid"),
        ("a-", "not valid"),
        ("alpine@sha256:abc", "64 lowercase hexadecimal"),
        ("alpine@sha256:" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "64 lowercase"),
        ("alpine@md5:0123456789abcdef0123456789abcdef", "not supported"),
        ("alpine@sha256", "algorithm:hex"),
        ("alpine@@" + Sha256, "not valid"),
        ("alpine@1sha:0123456789abcdef0123456789abcdef", "algorithm '1sha' is not valid"),
        ("-reg.io/app", "command-line option"),
        ("reg-.io/app", "registry host"),
        ("reg..io/app", "registry host"),
        ("reg.io:0/app", "port"),
        ("reg.io:65536/app", "port"),
        ("reg.io:abc/app", "port"),
        ("reg.io:/app", "port"),
        ("::1/app", "registry host"),
        ("[::1/app", "never closes"),
        ("[::g]/app", "IPv6"),
        ("[::1]x/app", "not a port"),
        ("user:pass@reg.io/app", "digest"),
        ("reg.io/app?x=1", "not valid"),
        ("reg.io/app#frag", "not valid"),
        ("reg.io\\app", "not valid"),
        ("http://evil/x", "URL"),
        ("docker-archive:/etc/passwd", "port"),
        ("user@127.0.0.1:18500/x", "digest"),
        ("alpine:" + new string('t', 190), "at most 128"),
        ("[fe80]/app", "not valid"),
        ("a_b.c/app", "registry host"),
    ];
}

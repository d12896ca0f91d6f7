using TaskQueue.SyftService.Scanning;

namespace TaskQueue.SyftService.Tests.Scanning;

public sealed class FailureTextTests
{
    [Fact]
    public void Sanitize_ColouredLog_KeepsTheWordsOnly()
    {
        var stderr = "2026-01-01T00:00:00Z\t\u001b[31mFATAL\u001b[0m\timage scan error:\r\n  unable to fetch\u0007\n";

        var text = FailureText.Sanitize(stderr, []);

        Assert.Equal("2026-01-01T00:00:00Z FATAL image scan error: unable to fetch", text);
    }

    [Fact]
    public void Sanitize_SecretsAndAuthorizationValues_AreMasked()
    {
        var stderr = "login with hunter2-secret failed; sent Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abc.def "
            + "and basic dXNlcjpodW50ZXIy";

        var text = FailureText.Sanitize(stderr, ["hunter2-secret"]);

        Assert.DoesNotContain("hunter2-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGciOiJSUzI1NiJ9", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpodW50ZXIy", text, StringComparison.Ordinal);
        Assert.Contains("login with *** failed", text, StringComparison.Ordinal);
        Assert.Contains("Bearer ***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_LongOutput_KeepsTheEndWithinTheLimit()
    {
        var stderr = string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i}\n")) + "the real error";

        var text = FailureText.Sanitize(stderr, []);

        Assert.True(text.Length <= FailureText.MaxLength, $"{text.Length} characters");
        Assert.StartsWith("...", text, StringComparison.Ordinal);
        Assert.EndsWith("the real error", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_Nothing_IsEmpty()
    {
        Assert.Equal("", FailureText.Sanitize(" \n\t", []));
    }
}

using TaskQueue.SyftService.Registry;

namespace TaskQueue.SyftService.Tests.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void ParseParameters_DockerHubChallenge_ReadsRealmServiceScope()
    {
        var parameters = AuthChallenge.ParseParameters(
            "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            + "scope=\"repository:library/ubuntu:pull\"");

        Assert.Equal("https://auth.docker.io/token", parameters["realm"]);
        Assert.Equal("registry.docker.io", parameters["service"]);
        Assert.Equal("repository:library/ubuntu:pull", parameters["scope"]);
    }

    [Fact]
    public void ParseParameters_QuotedCommasEscapesAndBareTokens_AreKept()
    {
        var parameters = AuthChallenge.ParseParameters(
            "realm=\"a,b\\\"c\", error=insufficient_scope , Service=x");

        Assert.Equal("a,b\"c", parameters["realm"]);
        Assert.Equal("insufficient_scope", parameters["error"]);
        Assert.Equal("x", parameters["service"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("realm=\"unterminated")]
    public void ParseParameters_Malformed_DoesNotThrow(string? text)
    {
        var parameters = AuthChallenge.ParseParameters(text);

        Assert.True(parameters.Count <= 1);
    }
}

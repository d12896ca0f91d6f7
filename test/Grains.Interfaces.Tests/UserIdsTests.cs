using Xunit;

namespace TaskQueue.Grains.Interfaces.Tests;

public sealed class UserIdsTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("alice.smith+ci@example.com")]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82")]
    [InlineData("system:serviceaccount:builds:runner")]
    [InlineData("dXNlcg==")]
    public void Validate_RealWorldIds_AreAccepted(string userId)
    {
        Assert.Null(UserIds.Validate(userId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice smith")]
    [InlineData("alice\n")]
    [InlineData("../etc/passwd")]
    [InlineData("älice")]
    [InlineData("alice\"")]
    [InlineData("<script>")]
    public void Validate_HostileOrMalformedIds_AreRefused(string? userId)
    {
        Assert.NotNull(UserIds.Validate(userId));
    }

    [Fact]
    public void Validate_LengthLimit_IsExact()
    {
        Assert.Null(UserIds.Validate(new string('a', UserIds.MaxLength)));
        Assert.Contains("longer than 128", UserIds.Validate(new string('a', UserIds.MaxLength + 1)), StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Operators;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Operators;

/// <summary>
/// Who is an operator, decided by <c>TaskQueue:Gateway:OperatorUsers</c> alone, on the real gateway with no cluster
/// behind it: a request let through reaches for the cluster and gets 503; one refused never gets that far.
/// </summary>
public sealed class OperatorAccessTests
{
    private static readonly CancellationToken Cancellation = TestContext.Current.CancellationToken;

    [Fact]
    public async Task OperatorUsers_NotConfigured_NobodyIsAnOperator()
    {
        await using var factory = new NoClusterGatewayFactory();
        using var admin = new GatewayClient(factory.CreateClient(), "admin");

        using var response = await admin.SendAsync(HttpMethod.Get, "/operator/tasks");

        await ProblemAssert.IsProblemAsync(response, 403, Cancellation);
    }

    [Fact]
    public async Task OperatorUsers_Configured_OnlyThoseUsersGetThrough()
    {
        await using var gateway = new NoClusterGatewayFactory();
        using var factory = gateway.WithWebHostBuilder(builder => builder
            .UseSetting("TaskQueue:Gateway:OperatorUsers:0", "alice")
            .UseSetting("TaskQueue:Gateway:OperatorUsers:1", "system:serviceaccount:ops:dashboard"));
        using var alice = new GatewayClient(factory.CreateClient(), "alice");
        using var dashboard = new GatewayClient(factory.CreateClient(), "system:serviceaccount:ops:dashboard");
        using var bob = new GatewayClient(factory.CreateClient(), "bob");

        using var aliceResponse = await alice.SendAsync(HttpMethod.Get, "/operator/tasks");
        using var dashboardResponse = await dashboard.SendAsync(HttpMethod.Get, "/operator/tasks?status=failed");
        using var bobResponse = await bob.SendAsync(HttpMethod.Get, "/operator/tasks");

        await ProblemAssert.IsProblemAsync(aliceResponse, 503, Cancellation);
        await ProblemAssert.IsProblemAsync(dashboardResponse, 503, Cancellation);
        await ProblemAssert.IsProblemAsync(bobResponse, 403, Cancellation);
    }

    [Fact]
    public void Validate_OperatorUserThatNoHeaderCouldCarry_NamesTheEntryAndItsVariable()
    {
        var options = new GatewayOptions();
        options.OperatorUsers.Add("alice");
        options.OperatorUsers.Add("bob smith");

        var result = new OperatorUsersValidator(new ConfigurationBuilder().Build()).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("TaskQueue:Gateway:OperatorUsers:1", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Gateway__OperatorUsers__1", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("OperatorUsers:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OperatorUsersAsOneValue_FailsSayingItIsAList()
    {
        await using var gateway = new NoClusterGatewayFactory();
        using var factory = gateway.WithWebHostBuilder(
            builder => builder.UseSetting("TaskQueue:Gateway:OperatorUsers", "alice"));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("is a list, not one value", error.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Gateway__OperatorUsers__0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EmptyOperatorUser_FailsNamingTheVariable()
    {
        await using var gateway = new NoClusterGatewayFactory();
        using var factory = gateway.WithWebHostBuilder(
            builder => builder.UseSetting("TaskQueue:Gateway:OperatorUsers:0", ""));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("TaskQueue__Gateway__OperatorUsers__0", error.Message, StringComparison.Ordinal);
    }
}

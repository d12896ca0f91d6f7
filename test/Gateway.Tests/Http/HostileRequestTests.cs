using Microsoft.AspNetCore.Http;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Http;

/// <summary>
/// Malformed and hostile requests against a gateway with no cluster behind it. Any request that got as far as a
/// grain call would be answered 503; each of these must be refused earlier, with its own status and the field at
/// fault named, and a refused submission must be counted as rejected, never as passed on.
/// </summary>
public sealed class HostileRequestTests(NoClusterGatewayFactory factory) : IClassFixture<NoClusterGatewayFactory>
{
    [Theory]
    [MemberData(nameof(HostileRequests.WithoutCluster), MemberType = typeof(HostileRequests))]
    public async Task Gateway_HostileRequest_RefusedWithProblemNamingTheField(string name)
    {
        var hostile = HostileRequests.Named(name);
        using var submissions = new SubmissionCounter(factory.Services);

        var cancellationToken = TestContext.Current.CancellationToken;

        var (status, contentType, body) = await hostile.SendAsync(factory.Server, cancellationToken);

        var problem = ProblemAssert.IsProblem(status, contentType, body, hostile.ExpectedStatus);
        HostileAssert.NamesFieldAtFault(hostile, problem, body);
        Assert.Equal(0, submissions.Count("unavailable"));
        Assert.Equal(0, submissions.Count("accepted"));
        if (hostile is { Method: "POST", Path: "/tasks", ExpectedStatus: not StatusCodes.Status401Unauthorized })
        {
            Assert.Equal(1, submissions.Count("rejected"));
        }
    }
}

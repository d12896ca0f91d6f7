using System.Net;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Http;

/// <summary>
/// The same hostile requests against a gateway co-hosting a real silo, plus those only the task grain can judge
/// (an unknown task type, a missing or unknown parameter): each refused with the field at fault named, and
/// nothing accepted, stored or dispatched for any of them.
/// </summary>
[Collection(CoHostedGatewayGroup.Name)]
public sealed class HostileRequestClusterTests(CoHostedGatewayFactory factory)
{
    [Theory]
    [MemberData(nameof(HostileRequests.Every), MemberType = typeof(HostileRequests))]
    public async Task Gateway_HostileRequest_RefusedAndNothingStored(string name)
    {
        var hostile = HostileRequests.Named(name);
        var cancellationToken = TestContext.Current.CancellationToken;
        using var submissions = new SubmissionCounter(factory.Services);
        var serviceCallsBefore = factory.Service.Calls.Count;

        var (status, contentType, body) = await hostile.SendAsync(factory.Server, cancellationToken);

        var problem = ProblemAssert.IsProblem(status, contentType, body, hostile.ExpectedStatus);
        HostileAssert.NamesFieldAtFault(hostile, problem, body);
        Assert.Equal(0, submissions.Count("accepted"));
        using var user = new GatewayClient(factory.CreateClient(), HostileRequest.DefaultUser);
        var listing = await user.GetJsonAsync("/tasks?limit=100");
        Assert.Empty(listing.GetProperty("items").EnumerateArray());

        // Tasks of earlier tests in this collection may still be dispatched now: only the hostile user's count.
        foreach (var call in factory.Service.Calls.Skip(serviceCallsBefore))
        {
            using var view = await user.SendAsync(HttpMethod.Get, $"/tasks/{call.TaskId}");
            Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        }
    }
}

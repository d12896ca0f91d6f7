using System.Net;
using System.Net.Http.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Tasks;

/// <summary>A well-formed request while the gateway has not reached the cluster: 503, and it says so plainly.</summary>
public sealed class SubmitTaskWithoutClusterTests(NoClusterGatewayFactory factory)
    : IClassFixture<NoClusterGatewayFactory>
{
    [Fact]
    public async Task SubmitTask_ClusterNotConnected_ServiceUnavailableWithRetryAfter()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var submissions = new SubmissionCounter(factory.Services);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tasks")
        {
            Content = JsonContent.Create(new
            {
                task_request = new { task_type = "syft", @params = new { docker_image_id = "ubuntu:24.04" } },
            }),
        };
        request.Headers.Add("X-User-Id", "alice");

        using var response = await client.SendAsync(request, cancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, 503, cancellationToken);
        Assert.Contains("nothing was submitted", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, submissions.Count("unavailable"));
    }

    [Theory]
    [InlineData("/tasks")]
    [InlineData("/tasks/0192f0c1-a2b3-7c4d-8e9f-0a1b2c3d4e5f")]
    [InlineData("/tasks/0192f0c1-a2b3-7c4d-8e9f-0a1b2c3d4e5f/result")]
    [InlineData("/task-types")]
    public async Task Read_ClusterNotConnected_ServiceUnavailableWithRetryAfter(string path)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "alice");

        using var response = await client.GetAsync(path, cancellationToken);

        await ProblemAssert.IsProblemAsync(response, (int)HttpStatusCode.ServiceUnavailable, cancellationToken);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

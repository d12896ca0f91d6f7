using System.Net;
using TaskQueue.TestSupport.Network;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>Failures of the task type's service, seen through the real gateway and silo processes.</summary>
public sealed class DispatchFailureTests
{
    [Fact]
    public async Task UnreachableEndpoint_IsRetriedThenFailsWithTheReason()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var nobodyListens = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var system = await LocalSystem.StartAsync(
            LocalSystem.TaskType("work", nobodyListens, ("MaxAttempts", "3"), ("InitialBackoff", "00:00:00.200")),
            cancellationToken);

        var (status, id) = await system.SubmitAsync("alice", "work", [], cancellationToken);
        var task = await system.WaitForStatusAsync(id!.Value, "alice", TimeSpan.FromSeconds(30), cancellationToken, "failed", "succeeded");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("failed", task.GetProperty("status").GetString());
        var attempts = task.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a => Assert.Equal("transient_failure", a.GetProperty("outcome").GetString()));
        Assert.Equal("attempts_exhausted", task.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("could not be reached", task.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

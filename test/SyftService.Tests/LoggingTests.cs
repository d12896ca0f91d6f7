using System.Net;
using System.Net.Http.Json;
using TaskQueue.SyftService.Tests.Support;

namespace TaskQueue.SyftService.Tests;

/// <summary>Log events carry their ids (5000s), the image and the queue's task and attempt.</summary>
public sealed class LoggingTests
{
    private const string S = ServiceUnderTest.Section;

    [Fact]
    public async Task Scan_FromTheQueue_LogsWithTheTaskAndAttemptInScope()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context =>
            {
                context.Response.StatusCode = 200;
                return Task.CompletedTask;
            },
            deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var logs = new CapturingLoggerProvider();
        await using var service = ServiceUnderTest.Start(
            new Dictionary<string, string?> { [S + "Engine"] = "Syft", [S + "SyftPath"] = syft.ExecutablePath },
            logs: logs);
        var reference = $"{registry.Host}/team/app:1";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["docker_image_id"] = reference }),
        };
        request.Headers.Add("X-TaskQueue-Task-Id", "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        request.Headers.Add("X-TaskQueue-Attempt", "2");
        using var response = await service.Client.SendAsync(request, deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(logs.Events, e => e.EventId == 5000);
        var succeeded = Assert.Single(logs.Events, e => e.EventId == 5002);
        Assert.Equal(reference, succeeded.Values["ImageRef"]);
        Assert.Equal("syft", succeeded.Values["Engine"]);
        Assert.Equal("0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", succeeded.Values["TaskId"]);
        Assert.Equal("2", succeeded.Values["Attempt"]);
    }

    [Fact]
    public async Task Scan_WithHostileQueueHeaders_LogsThemAsMissing()
    {
        using var deadline = Deadline.Seconds(30);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var logs = new CapturingLoggerProvider();
        await using var service = ServiceUnderTest.Start(
            new Dictionary<string, string?> { [S + "Engine"] = "Syft", [S + "SyftPath"] = syft.ExecutablePath },
            logs: logs);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["docker_image_id"] = "--help" }),
        };
        request.Headers.TryAddWithoutValidation("X-TaskQueue-Task-Id", new string('x', 500));
        request.Headers.TryAddWithoutValidation("X-TaskQueue-Attempt", "1 OR 1=1");
        using var response = await service.Client.SendAsync(request, deadline.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var rejected = Assert.Single(logs.Events, e => e.EventId == 5009);
        Assert.Equal("-", rejected.Values["TaskId"]);
        Assert.Equal("-", rejected.Values["Attempt"]);
    }
}

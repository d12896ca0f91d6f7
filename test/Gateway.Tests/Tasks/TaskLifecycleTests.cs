using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TaskQueue.Gateway.Tests.Support;
using Xunit;

namespace TaskQueue.Gateway.Tests.Tasks;

/// <summary>Submit, follow, fetch and cancel through the gateway co-hosting a real silo.</summary>
[Collection(CoHostedGatewayGroup.Name)]
public sealed class TaskLifecycleTests(CoHostedGatewayFactory factory)
{
    [Fact]
    public async Task Submit_OriginalSystemsBody_AcceptedWithLocationAndTask()
    {
        using var alice = User();

        using var response = await alice.SendAsync(
            HttpMethod.Post,
            "/tasks",
            """{"task_request": {"task_type": "syft", "params": {"docker_image_id": "ubuntu:24.04"}}}""");

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var task = GatewayClient.Parse(body);
        var id = task.GetProperty("id").GetGuid();
        Assert.Equal($"/tasks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(alice.UserId, task.GetProperty("user_id").GetString());
        Assert.Equal("syft", task.GetProperty("task_type").GetString());
        Assert.Equal("ubuntu:24.04", task.GetProperty("params").GetProperty("docker_image_id").GetString());
        Assert.Contains(task.GetProperty("status").GetString(), new[] { "queued", "running", "succeeded" });
        Assert.Equal(2, task.GetProperty("max_attempts").GetInt32());
    }

    /// <summary>References a tester got accepted that the SBOM service then refused as a permanent 400.</summary>
    public static TheoryData<string> RefusedByTheService =>
        ["http://evil/x", "docker-archive:/etc/passwd", "user@127.0.0.1:18500/x", "alpine:" + new string('t', 190)];

    [Theory]
    [MemberData(nameof(RefusedByTheService))]
    public async Task Submit_ReferenceTheSbomServiceWouldRefuse_Is400SayingWhatFormIsExpected(string image)
    {
        using var alice = User();

        using var response = await alice.SubmitAsync(image);

        var problem = await ProblemAssert.IsProblemAsync(response, 400, TestContext.Current.CancellationToken);
        var message = problem.GetProperty("errors").GetProperty("task_request.params.docker_image_id")[0].GetString();
        Assert.Contains("expected an image reference such as ubuntu:24.04", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_BracketedIpv6RegistryWithPort_IsAccepted()
    {
        using var alice = User();

        var task = await alice.SubmitAcceptedAsync("[::1]:18500/team/app:1.0");

        Assert.Equal("[::1]:18500/team/app:1.0", task.GetProperty("params").GetProperty("docker_image_id").GetString());

        // Finished here, so that its dispatch does not land in another test of the shared service.
        await alice.WaitForStatusAsync(task.GetProperty("id").GetGuid(), "succeeded");
    }

    [Fact]
    public async Task Submit_ContentEncodingIdentity_IsAccepted()
    {
        using var alice = User();

        using var response = await alice.SendAsync(
            HttpMethod.Post,
            "/tasks",
            GatewayClient.TaskRequestJson("alpine:3.20"),
            configure: request => request.Content!.Headers.ContentEncoding.Add("identity"));

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        await alice.WaitForStatusAsync(GatewayClient.Parse(body).GetProperty("id").GetGuid(), "succeeded");
    }

    [Fact]
    public async Task GetTask_Submitted_ReachesSucceededWithResultLink()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("alpine:3.20")).GetProperty("id").GetGuid();

        var task = await alice.WaitForStatusAsync(id, "succeeded");

        var attempt = Assert.Single(task.GetProperty("attempts").EnumerateArray());
        Assert.Equal("succeeded", attempt.GetProperty("outcome").GetString());
        Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
        var result = task.GetProperty("result");
        Assert.Equal($"/tasks/{id}/result", result.GetProperty("url").GetString());
        Assert.Equal(CoHostedGatewayFactory.ResultMediaType, result.GetProperty("media_type").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task GetResult_Succeeded_StreamsTheServicesBodyWithItsMetadata()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("debian:12")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");
        var expected = Encoding.UTF8.GetBytes(CoHostedGatewayFactory.ResultFor("debian:12"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(expected));

        using var response = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync(cancellationToken));
        Assert.Equal(CoHostedGatewayFactory.ResultMediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.Tag);
        Assert.Equal(
            $"attachment; filename=\"{id}.json\"",
            Assert.Single(response.Content.Headers.GetValues("Content-Disposition")));
        Assert.Contains("nosniff", response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task HeadResult_Succeeded_SameHeadersAsGetWithoutTheBody()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("debian:12.1")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");

        using var get = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");
        using var head = await alice.SendAsync(HttpMethod.Head, $"/tasks/{id}/result");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(cancellationToken));
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync(cancellationToken));
        foreach (var name in new[] { "ETag", "Cache-Control", "X-Content-Type-Options" })
        {
            Assert.Equal(get.Headers.GetValues(name), head.Headers.GetValues(name));
        }

        foreach (var name in new[] { "Content-Type", "Content-Length", "Content-Disposition" })
        {
            Assert.Equal(get.Content.Headers.GetValues(name), head.Content.Headers.GetValues(name));
        }
    }

    [Fact]
    public async Task HeadResult_AnotherUsersTask_NotFound()
    {
        using var alice = User();
        using var mallory = User();
        var id = (await alice.SubmitAcceptedAsync("debian:12.2")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");

        using var head = await mallory.SendAsync(HttpMethod.Head, $"/tasks/{id}/result");

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task GetResult_IfNoneMatchTheSha256_NotModified()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("busybox:1")).GetProperty("id").GetGuid();
        var task = await alice.WaitForStatusAsync(id, "succeeded");
        var etag = $"\"{task.GetProperty("result").GetProperty("sha256").GetString()}\"";

        using var response = await alice.SendAsync(
            HttpMethod.Get,
            $"/tasks/{id}/result",
            configure: request => request.Headers.TryAddWithoutValidation("If-None-Match", etag));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetResult_WhileRunning_ConflictNamingTheStatus()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("hold/result-while-running")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "running");

        using var response = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");

        var problem = await ProblemAssert.IsProblemAsync(response, 409, TestContext.Current.CancellationToken);
        Assert.Contains("running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await alice.SendAsync(HttpMethod.Post, $"/tasks/{id}/cancel");
    }

    [Fact]
    public async Task GetResult_Failed_ConflictNamingTheStatus()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("refuse/broken")).GetProperty("id").GetGuid();
        var task = await alice.WaitForStatusAsync(id, "failed");

        using var response = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");

        var problem = await ProblemAssert.IsProblemAsync(response, 409, TestContext.Current.CancellationToken);
        Assert.Contains("failed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("permanent_failure", task.GetProperty("error").GetProperty("code").GetString());
        var message = task.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("cannot be scanned", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResult_MissingFromTheStore_ServerErrorProblem()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("lost:1")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");
        foreach (var file in Directory.EnumerateFiles(factory.ResultsFolder, $"*{id}*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        using var response = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");

        var problem = await ProblemAssert.IsProblemAsync(response, 500, TestContext.Current.CancellationToken);
        Assert.Contains("result", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResult_CorruptResultFile_ServerErrorWithoutInternals()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("corrupt:1")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");
        var file = Assert.Single(Directory.EnumerateFiles(factory.ResultsFolder, $"{id}*"));
        await File.WriteAllTextAsync(file, "not a result file", cancellationToken);

        using var response = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");

        var problem = await ProblemAssert.IsProblemAsync(response, 500, cancellationToken);
        var text = problem.ToString();
        Assert.DoesNotContain(factory.ResultsFolder, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("at TaskQueue", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RunningTask_CancelledAndThenConflict()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("hold/cancel-me")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "running");

        using var first = await alice.SendAsync(HttpMethod.Post, $"/tasks/{id}/cancel");
        using var second = await alice.SendAsync(HttpMethod.Post, $"/tasks/{id}/cancel");

        var cancelled = GatewayClient.Parse(
            await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var problem = await ProblemAssert.IsProblemAsync(second, 409, TestContext.Current.CancellationToken);
        Assert.Contains("cancelled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("cancelled", (await alice.GetJsonAsync($"/tasks/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_SucceededTask_ConflictNamingTheStatus()
    {
        using var alice = User();
        var id = (await alice.SubmitAcceptedAsync("alpine:done")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");

        using var response = await alice.SendAsync(HttpMethod.Post, $"/tasks/{id}/cancel");

        var problem = await ProblemAssert.IsProblemAsync(response, 409, TestContext.Current.CancellationToken);
        Assert.Contains("succeeded", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private GatewayClient User() => new(factory.CreateClient(), $"user-{Guid.NewGuid():N}");
}

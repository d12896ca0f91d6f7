using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using TaskQueue.Gateway.Tests.Support;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.Gateway.Tests.Hosting;

/// <summary>
/// The gateway as an Orleans client of a silo running as its own process: tasks go through, a crashed silo is a
/// 503 with Retry-After, and once the silo is back on the same store the gateway reconnects and the task is there.
/// </summary>
public sealed class ClientModeTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"taskqueue-gateway-{Guid.NewGuid():N}");
    private ScriptedTaskService _service = null!;
    private SiloProcess _silo = null!;
    private WebApplicationFactory<Program> _baseGateway = null!;
    private WebApplicationFactory<Program> _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _service = await ScriptedTaskService.StartAsync(cancellationToken);
        _service.Script(call => ServiceReply.Ok(CoHostedGatewayFactory.ResultFor(call.Body), "application/json"));
        _silo = new SiloProcess(_folder, _service.Endpoint);
        await _silo.StartAsync(cancellationToken);
        _baseGateway = new WebApplicationFactory<Program>();
        _gateway = _baseGateway.WithWebHostBuilder(builder => builder
            .UseSetting("TaskQueue:Cluster:GatewayPort", _silo.GatewayPort.ToString(CultureInfo.InvariantCulture))
            .UseSetting("TaskQueue:Results:LocalFolder:Path", _silo.ResultsFolder)
            .ConfigureLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Orleans", LogLevel.Error)));
    }

    [Fact]
    public async Task ClientMode_SiloProcess_TaskRunsAndResultStreams()
    {
        using var alice = new GatewayClient(_gateway.CreateClient(), "alice");
        await WaitUntilReadyAsync();

        var id = (await alice.SubmitAcceptedAsync("alpine:client-mode")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");
        using var result = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}/result");

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        var body = await result.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("alpine:client-mode", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientMode_SiloCrashesAndReturns_ServiceUnavailableThenTaskStillThere()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = new GatewayClient(_gateway.CreateClient(), "alice");
        await WaitUntilReadyAsync();
        var id = (await alice.SubmitAcceptedAsync("alpine:before-crash")).GetProperty("id").GetGuid();
        await alice.WaitForStatusAsync(id, "succeeded");

        await _silo.KillAsync(cancellationToken);
        using var read = await alice.SendAsync(HttpMethod.Get, $"/tasks/{id}");
        using var submit = await alice.SubmitAsync("alpine:during-crash", idempotencyKey: "during-crash");

        await ProblemAssert.IsProblemAsync(read, 503, cancellationToken);
        Assert.NotNull(read.Headers.RetryAfter);
        var problem = await ProblemAssert.IsProblemAsync(submit, 503, cancellationToken);
        Assert.Contains("same Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await _silo.StartAsync(cancellationToken);
        await WaitUntilReadyAsync();
        using var retried = await alice.SubmitAsync("alpine:during-crash", idempotencyKey: "during-crash");
        using var repeated = await alice.SubmitAsync("alpine:during-crash", idempotencyKey: "during-crash");

        Assert.Equal("succeeded", (await alice.GetJsonAsync($"/tasks/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(2, (await alice.GetJsonAsync("/tasks")).GetProperty("items").GetArrayLength());
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _baseGateway.DisposeAsync();
        await _silo.DisposeAsync();
        await _service.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = _gateway.CreateClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var last = "";
        while (!deadline.IsCancellationRequested)
        {
            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative), deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            last = await response.Content.ReadAsStringAsync(deadline.Token);
            await Task.Delay(200, deadline.Token);
        }

        Assert.Fail($"The gateway did not become ready: {last}{Environment.NewLine}{_silo.Process.RecentOutput}");
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Hosting;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.Grains.Tests.Tasks;

/// <summary>
/// One silo with the real embedded store (a SQLite file in a temporary folder), the real local result
/// store, and a real HTTP task service on loopback whose answers each test scripts by the task's
/// <c>scenario</c> parameter. Task types differ only in how they treat attempts.
/// </summary>
public sealed class TaskClusterFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "taskqueue-grains-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, Func<ServiceCall, ServiceReply>> _scenarios = new(StringComparer.Ordinal);
    private InProcessTestCluster? _cluster;

    public ScriptedTaskService Service { get; private set; } = null!;

    public IClusterClient Client => _cluster!.Client;

    /// <summary>Failures a test arms for one task's next reminder registration or record write.</summary>
    public StorageFaults Faults { get; } = new();

    public string ResultsFolder => Path.Combine(_folder, "results");

    /// <summary>The store the silo writes to, for asserting what is (and is not) stored.</summary>
    public ITaskStore Store => _cluster!.GetSiloServiceProvider().GetRequiredService<ITaskStore>();

    public async ValueTask InitializeAsync()
    {
        Service = await ScriptedTaskService.StartAsync(TestContext.Current.CancellationToken);
        Service.Script(call => _scenarios.TryGetValue(ScenarioOf(call), out var reply)
            ? reply(call)
            : ServiceReply.Fail(418, "no such scenario"));

        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(Settings());
            host.AddTaskQueueGrains();
            Decorate<ITaskStore>(host.Services, inner => new FaultyTaskStore(inner, Faults));
            Decorate<IReminderTable>(host.Services, inner => new FaultyReminderTable(inner, Faults));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>Registers how the service answers tasks of one scenario; answers the scenario's name.</summary>
    public string Scenario(Func<ServiceCall, ServiceReply> reply)
    {
        var name = "s" + Guid.NewGuid().ToString("N");
        lock (_scenarios)
        {
            _scenarios[name] = reply;
        }

        return name;
    }

    public async Task<TaskView> SubmitAsync(string taskType, string scenario, string userId = "alice")
    {
        var result = await Client.GetGrain<ITaskGrain>(TaskIds.New()).SubmitAsync(new TaskSubmission
        {
            UserId = userId,
            TaskType = taskType,
            Parameters = new Dictionary<string, string> { ["scenario"] = scenario },
        });
        Assert.Equal(SubmitOutcome.Accepted, result.Outcome);
        return result.Task!;
    }

    /// <summary>Polls the task until <paramref name="done"/> holds or the deadline passes.</summary>
    public async Task<TaskView> WaitForAsync(Guid taskId, Func<TaskView, bool> done, TimeSpan? deadline = null, string userId = "alice")
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline ?? TimeSpan.FromSeconds(30));
        TaskView? last = null;
        while (!timeout.IsCancellationRequested)
        {
            last = await Client.GetGrain<ITaskGrain>(taskId).GetAsync(userId);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        throw new TimeoutException($"Task {taskId} did not get there in time; last seen: {last?.Status}, {last?.Attempts.Count} attempts.");
    }

    public Task<TaskView> WaitForFinalAsync(Guid taskId, TimeSpan? deadline = null) =>
        WaitForAsync(taskId, t => t.Status.IsFinal(), deadline);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        await Service.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Replaces the registration the silo resolves (the last one) with a wrapper of what it made.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap)
        where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton<T>(provider => wrap((T)(original.ImplementationInstance
            ?? original.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, original.ImplementationType!))));
    }

    private static string ScenarioOf(ServiceCall call) =>
        System.Text.Json.JsonDocument.Parse(call.Body).RootElement.GetProperty("scenario").GetString() ?? "";

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:Embedded:DatabasePath"] = Path.Combine(_folder, "tasks.db"),
            ["TaskQueue:Results:LocalFolder:Path"] = ResultsFolder,
        };
        AddType(settings, "fast", Service.Endpoint, ("MaxAttempts", "3"), ("InitialBackoff", "00:00:00.100"));
        AddType(settings, "paced", Service.Endpoint, ("MaxAttempts", "3"), ("InitialBackoff", "00:00:02"));
        AddType(settings, "unreachable", new Uri($"http://127.0.0.1:{FreePort.Next()}/"),
            ("MaxAttempts", "3"), ("InitialBackoff", "00:00:00.100"));
        AddType(settings, "deadline", Service.Endpoint,
            ("MaxAttempts", "2"), ("InitialBackoff", "00:00:00.100"), ("AttemptDeadline", "00:00:00.500"));
        AddType(settings, "narrow", Service.Endpoint, ("MaxConcurrentAttempts", "2"));
        AddType(settings, "tiny", Service.Endpoint, ("MaxResultBytes", "16"));
        AddType(settings, "single", Service.Endpoint, ("MaxConcurrentAttempts", "1"), ("MaxAttempts", "3"));
        return settings;
    }

    private static void AddType(Dictionary<string, string?> settings, string name, Uri endpoint, params (string Key, string Value)[] extra)
    {
        var prefix = $"TaskQueue:TaskTypes:{name}:";
        settings[prefix + "Endpoint"] = endpoint.ToString();
        settings[prefix + "Parameters:scenario:Required"] = "true";
        foreach (var (key, value) in extra)
        {
            settings[prefix + key] = value;
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.MongoDb;
using TaskQueue.TestSupport.Network;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The registrations, resolved alone and started inside a real in-process Orleans silo and client on loopback ports.
/// No MongoDB server exists here: a loopback port where nothing listens stands for an unreachable one.
/// </summary>
public sealed class MongoDbStorageServiceCollectionExtensionsTests : IDisposable
{
    private const string Password = "silo-Secret-42";
    private readonly int _mongoPort = FreePort.Next();
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public MongoDbStorageServiceCollectionExtensionsTests() => _timeout.CancelAfter(TimeSpan.FromMinutes(2));

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public void AddMongoDbTaskStorage_Resolved_EveryStorageServiceIsMongoDbsOnOneClient()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(Configuration())
            .Configure<ClusterOptions>(options => options.ClusterId = "c")
            .AddMongoDbTaskStorage()
            .AddMongoDbTaskStorage()
            .AddMongoDbGatewayList();

        using var provider = services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<MongoDbTaskStore>(provider.GetRequiredService<ITaskStore>());
        Assert.IsType<MongoDbReminderTable>(provider.GetRequiredService<IReminderTable>());
        Assert.IsType<MongoDbMembershipTable>(provider.GetRequiredService<IMembershipTable>());
        Assert.IsType<MongoDbGatewayListProvider>(provider.GetRequiredService<IGatewayListProvider>());
        Assert.IsType<MongoDbStorageLifecycle>(
            Assert.Single(provider.GetServices<ILifecycleParticipant<ISiloLifecycle>>()));
        Assert.Single(provider.GetServices<IValidateOptions<MongoDbStorageOptions>>());
        Assert.Single(services, service => service.ServiceType == typeof(MongoDbDatabase));
        Assert.Same(provider.GetRequiredService<ITaskStore>(), provider.GetRequiredService<ITaskStore>());
    }

    [Fact]
    public async Task SiloStart_NothingListening_StopsWithTheMessageBeforeLaterStages()
    {
        var laterStage = new StageProbe();
        using var host = BuildSilo(Configuration(), laterStage);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Cancellation));

        var ours = Find<InvalidOperationException>(error);
        Assert.NotNull(ours);
        Assert.StartsWith(
            $"MongoDB at 127.0.0.1:{_mongoPort} did not answer within 00:00:01", ours.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__MongoDb__ConnectionString", ours.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Start-up took {clock.Elapsed} to fail.");

        // Nothing after the storage stage began: not the membership table, not the reminder service, not grains.
        Assert.False(laterStage.Started);
    }

    [Fact]
    public async Task SiloStart_InvalidSetting_FailsValidationNamingTheVariable()
    {
        var configuration = Configuration(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:MongoDb:MaxConnectionPoolSize"] = "0",
        });
        using var host = BuildSilo(configuration);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        Assert.Contains("TaskQueue__Storage__MongoDb__MaxConnectionPoolSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientStart_NothingListening_FailsWithTheMessage()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(Configuration());
        builder.UseOrleansClient(client => client.Services.AddMongoDbGatewayList());
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Cancellation));

        var ours = Find<InvalidOperationException>(error);
        Assert.NotNull(ours);
        Assert.StartsWith($"MongoDB at 127.0.0.1:{_mongoPort} did not answer", ours.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found && found.Message.StartsWith("MongoDB at ", StringComparison.Ordinal))
            {
                return found;
            }

            if (exception is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }

    private IConfiguration Configuration(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:MongoDb:ConnectionString"] = $"mongodb://taskqueue:{Password}@127.0.0.1:{_mongoPort}/",
            ["TaskQueue:Storage:MongoDb:ServerSelectionTimeout"] = "00:00:01",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static IHost BuildSilo(IConfiguration configuration, StageProbe? probe = null)
    {
        // No default logging providers: tests print nothing.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort.Next(), gatewayPort: FreePort.Next());
            silo.AddReminders();
        });

        // After the clustering set-up, so that the MongoDB membership table is the one Orleans uses.
        builder.Services.AddMongoDbTaskStorage();
        if (probe is not null)
        {
            builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(probe);
        }

        return builder.Build();
    }

    /// <summary>Notes whether the silo got past the runtime storage stage.</summary>
    private sealed class StageProbe : ILifecycleParticipant<ISiloLifecycle>
    {
        public bool Started { get; private set; }

        public void Participate(ISiloLifecycle observer) =>
            observer.Subscribe(
                nameof(StageProbe),
                ServiceLifecycleStage.RuntimeStorageServices + 1,
                _ =>
                {
                    Started = true;
                    return Task.CompletedTask;
                });
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.Embedded;
using TaskQueue.TestSupport.Network;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>The registration, alone and inside a real in-process Orleans silo on loopback ports.</summary>
public sealed class EmbeddedStorageServiceCollectionExtensionsTests : IDisposable
{
    private readonly TemporaryDatabase _file = new();
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public EmbeddedStorageServiceCollectionExtensionsTests() => _timeout.CancelAfter(TimeSpan.FromMinutes(2));

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task AddEmbeddedTaskStorage_Resolved_TaskStoreAndReminderTableShareOneFile()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(Configuration())
            .AddEmbeddedTaskStorage()
            .AddEmbeddedTaskStorage();
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        var grain = GrainId.Create("test", "shared");

        await using (var provider = services.BuildServiceProvider(validateScopes: true))
        {
            var table = provider.GetRequiredService<IReminderTable>();
            await table.StartAsync(Cancellation);
            await provider.GetRequiredService<ITaskStore>().WriteAsync(record, null, Cancellation);
            await table.UpsertRow(
                new ReminderEntry { GrainId = grain, ReminderName = "r", Period = TimeSpan.FromMinutes(1) },
                Cancellation);

            Assert.Single(provider.GetServices<ILifecycleParticipant<ISiloLifecycle>>());
            Assert.Same(provider.GetRequiredService<ITaskStore>(), provider.GetRequiredService<ITaskStore>());
            Assert.Same(provider.GetRequiredService<IReminderTable>(), table);
        }

        // Disposing the container flushed and closed the file: it opens again, with both writes in it.
        await using var reopened = await _file.OpenAsync(Cancellation);
        Assert.NotNull(await new EmbeddedTaskStore(reopened).ReadAsync(record.Id, Cancellation));
        Assert.NotNull(await new EmbeddedReminderTable(reopened).ReadRow(grain, "r", Cancellation));
    }

    [Fact]
    public async Task AddEmbeddedTaskStorage_InSilo_IsOpenBeforeGrainStorageStartsAndClosedAfterStop()
    {
        var probe = new StageProbe();
        using var host = BuildSilo(withReminders: false, services => services
            .AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider =>
            {
                probe.Store = provider.GetRequiredService<ITaskStore>();
                return probe;
            }));

        await host.StartAsync(Cancellation);
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        await host.Services.GetRequiredService<ITaskStore>().WriteAsync(record, null, Cancellation);
        await host.StopAsync(Cancellation);

        Assert.True(probe.StoreWasOpen, "The store was not open when grain storage providers start.");
        await using var reopened = await _file.OpenAsync(Cancellation);
        Assert.NotNull(await new EmbeddedTaskStore(reopened).ReadAsync(record.Id, Cancellation));
    }

    [Fact]
    public async Task AddEmbeddedTaskStorage_InSiloWithReminders_GrainRemindersLiveInTheFile()
    {
        using var host = BuildSilo(withReminders: true);
        await host.StartAsync(Cancellation);
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(Guid.NewGuid());
        var table = host.Services.GetRequiredService<IReminderTable>();

        await grain.RegisterAsync("removed").WaitAsync(Cancellation);
        await grain.RegisterAsync("kept").WaitAsync(Cancellation);
        var registered = await table.ReadRow(grain.GetGrainId(), "removed", Cancellation);
        await grain.UnregisterAsync("removed").WaitAsync(Cancellation);
        await host.StopAsync(Cancellation);

        Assert.IsType<EmbeddedReminderTable>(table);
        Assert.NotNull(registered);
        Assert.Equal(TimeSpan.FromMinutes(1), registered.Period);
        await using var reopened = await _file.OpenAsync(Cancellation);
        var rows = await new EmbeddedReminderTable(reopened).ReadRows(grain.GetGrainId(), Cancellation);
        Assert.Equal(["kept"], rows.Reminders.Select(r => r.ReminderName));
    }

    private IConfiguration Configuration() =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TaskQueue:Storage:Embedded:DatabasePath"] = _file.DatabasePath,
            })
            .Build();

    private IHost BuildSilo(bool withReminders, Action<IServiceCollection>? configure = null)
    {
        // No default logging providers: tests print nothing.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(Configuration());
        builder.Services.AddEmbeddedTaskStorage();
        configure?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort.Next(), gatewayPort: FreePort.Next());
            if (withReminders)
            {
                silo.AddReminders();
            }
        });
        return builder.Build();
    }

    /// <summary>Reads through the store at the stage where Orleans starts grain storage providers.</summary>
    private sealed class StageProbe : ILifecycleParticipant<ISiloLifecycle>
    {
        public ITaskStore? Store { get; set; }

        public bool StoreWasOpen { get; private set; }

        public void Participate(ISiloLifecycle observer) =>
            observer.Subscribe(
                nameof(StageProbe),
                ServiceLifecycleStage.ApplicationServices,
                async cancellationToken =>
                {
                    await Store!.ReadAsync(Guid.NewGuid(), cancellationToken);
                    StoreWasOpen = true;
                });
    }
}

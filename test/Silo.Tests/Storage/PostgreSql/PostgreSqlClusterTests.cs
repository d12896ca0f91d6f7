using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.Silo.Tests.Storage.Embedded;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>
/// Real Orleans silos on loopback forming one cluster through the PostgreSQL membership table, and a client that
/// finds them through the gateway list read from the same table.
/// </summary>
public sealed class PostgreSqlClusterTests(PostgreSqlDatabaseFixture fixture)
    : IClassFixture<PostgreSqlDatabaseFixture>, IAsyncDisposable
{
    private readonly CancellationTokenSource _timeout = Timeout();
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _serviceId = "service-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<IHost> _hosts = [];
    private readonly List<PostgreSqlDatabase> _databases = [];

    private CancellationToken Cancellation => _timeout.Token;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stop.Token);
            host.Dispose();
        }

        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task Cluster_TwoSilosAndAClient_BothSilosActiveAndTheClientReachesGrains()
    {
        var silos = new[] { Silo(), Silo() };

        // Started together: both apply the schema on a fresh database, one of them waiting for the other's lock.
        await Task.WhenAll(silos.Select(silo => silo.StartAsync(Cancellation))).WaitAsync(Cancellation);
        var table = await MembershipAsync();
        var client = Client();
        await client.StartAsync(Cancellation);
        var grains = client.Services.GetRequiredService<IGrainFactory>();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(key => grains.GetGrain<IClusterProbeGrain>(key).WhereAsync()))
            .WaitAsync(Cancellation);
        var reminderGrain = grains.GetGrain<IReminderProbeGrain>(Guid.NewGuid());
        await reminderGrain.RegisterAsync("wake-up").WaitAsync(Cancellation);

        var members = (await table.ReadAllAsync(Cancellation)).Members.Select(m => m.Item1).ToList();
        Assert.Equal(2, members.Count);
        Assert.All(members, m => Assert.Equal(SiloStatus.Active, m.Status));
        var siloAddresses = members.Select(m => m.SiloAddress.ToParsableString()).ToHashSet();
        Assert.All(answers, answer => Assert.Contains(answer, siloAddresses));
        var reminders = new PostgreSqlReminderTable(Database(), PostgreSqlBackend.Cluster(_clusterId, _serviceId));
        Assert.NotNull(await reminders.ReadRow(reminderGrain.GetGrainId(), "wake-up", Cancellation));

        // An orderly stop leaves each silo marked dead in the table, so that no client is sent to it.
        await client.StopAsync(Cancellation);
        foreach (var silo in silos)
        {
            await silo.StopAsync(Cancellation);
        }

        Assert.All(
            (await table.ReadAllAsync(Cancellation)).Members,
            m => Assert.Equal(SiloStatus.Dead, m.Item1.Status));
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        return timeout;
    }

    private async Task<PostgreSqlMembershipTable> MembershipAsync()
    {
        var table = new PostgreSqlMembershipTable(
            Database(), PostgreSqlBackend.Cluster(_clusterId, _serviceId), NullLogger<PostgreSqlMembershipTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: false, Cancellation);
        return table;
    }

    private PostgreSqlDatabase Database()
    {
        var database = PostgreSqlBackend.Database(PostgreSqlBackend.Options(fixture.ConnectionString));
        _databases.Add(database);
        return database;
    }

    private IHost Silo()
    {
        var builder = Builder();
        builder.Services.AddPostgreSqlTaskStorage();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(Cluster);
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next(), listenOnAnyHostAddress: false);
            silo.AddReminders();
        });
        return Keep(builder.Build());
    }

    private IHost Client()
    {
        var builder = Builder();
        builder.Services.AddPostgreSqlGatewayList();
        builder.UseOrleansClient(client => client.Configure<ClusterOptions>(Cluster));
        return Keep(builder.Build());
    }

    private HostApplicationBuilder Builder()
    {
        // No default logging providers: tests print nothing.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:PostgreSql:ConnectionString"] = fixture.ConnectionString,
        });
        return builder;
    }

    private void Cluster(ClusterOptions options)
    {
        options.ClusterId = _clusterId;
        options.ServiceId = _serviceId;
    }

    private IHost Keep(IHost host)
    {
        _hosts.Add(host);
        return host;
    }
}

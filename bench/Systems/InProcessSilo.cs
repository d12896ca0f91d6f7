using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Silo.Hosting;

namespace TaskQueue.Bench.Systems;

/// <summary>
/// A silo hosted in this process through the product's own hosting extension (<c>AddTaskQueueSilo</c>): real
/// grains, real task store, reminders and dispatcher. The benchmark calls its grains and its task store directly.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<InProcessSilo> StartAsync(
        Dictionary<string, string?> settings,
        string contentRoot,
        CancellationToken cancellationToken,
        Action<IServiceCollection>? configureServices = null)
    {
        // Production, as an operator runs it; an empty content root, so that nothing but these settings applies.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = contentRoot,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTaskQueueSilo();
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new InProcessSilo(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Grains.Results;
using TaskQueue.Silo.Results;
using TaskQueue.TestSupport.Network;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>The registration the silo and the gateway call, started in a real host.</summary>
public sealed class ResultStoreServiceCollectionExtensionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddTaskQueueResultStore_LocalFolderSettings_StartCreatesTheFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "taskqueue-results-tests", Guid.NewGuid().ToString("N"));
        using var host = Build(Environments.Production, new() { ["TaskQueue:Results:LocalFolder:Path"] = folder });

        await host.StartAsync(Token);

        var store = Assert.IsType<LocalFolderResultStore>(host.Services.GetRequiredService<IResultStore>());
        Assert.Equal(folder, store.Folder);
        Assert.True(Directory.Exists(folder));
        await host.StopAsync(Token);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void AddTaskQueueResultStore_NoSettings_ChoosesTheLocalFolderUnderTheWorkingDirectory()
    {
        using var host = Build(Environments.Production, []);

        var store = Assert.IsType<LocalFolderResultStore>(host.Services.GetRequiredService<IResultStore>());

        Assert.Equal(Path.GetFullPath("data/results"), store.Folder);
    }

    [Fact]
    public void AddTaskQueueResultStore_ProviderS3_ChoosesTheS3Store()
    {
        using var host = Build(Environments.Production, S3Settings("minio.storage.svc:9000", useTls: true));

        var store = Assert.IsType<S3ResultStore>(host.Services.GetRequiredService<IResultStore>());

        Assert.Equal("https://minio.storage.svc:9000", store.EndpointUrl);
    }

    [Fact]
    public async Task AddTaskQueueResultStore_S3WithoutEndpoint_StartFailsNamingTheVariable()
    {
        var settings = S3Settings("unused:1", useTls: true);
        settings.Remove("TaskQueue:Results:S3:Endpoint");
        using var host = Build(Environments.Production, settings);

        var thrown = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Contains("TaskQueue__Results__S3__Endpoint", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTaskQueueResultStore_PlainHttpS3InProduction_StartFails()
    {
        using var host = Build(Environments.Production, S3Settings("minio:9000", useTls: false));

        var thrown = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Contains("TaskQueue__Results__S3__AllowInsecureHttp", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTaskQueueResultStore_UnknownProvider_StartFailsNamingTheSetting()
    {
        using var host = Build(Environments.Production, new() { ["TaskQueue:Results:Provider"] = "Dropbox" });

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(Token));

        Assert.Contains("TaskQueue:Results:Provider", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTaskQueueResultStore_S3Unreachable_StartFailsSayingWhatToCheck()
    {
        var endpoint = $"127.0.0.1:{FreePort.Next()}";
        using var host = Build(Environments.Development, S3Settings(endpoint, useTls: false));

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(Token));

        Assert.Contains($"cannot reach http://{endpoint}", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__Endpoint", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTaskQueueResultStore_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddTaskQueueResultStore();
        services.AddTaskQueueResultStore();

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IResultStore));
        Assert.Single(services, descriptor => descriptor.ImplementationType == typeof(ResultStoreStartup));
        Assert.Single(services, descriptor => descriptor.ImplementationType == typeof(ResultStoreOptionsValidator));
    }

    private static IHost Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTaskQueueResultStore();
        return builder.Build();
    }

    private static Dictionary<string, string?> S3Settings(string endpoint, bool useTls) => new()
    {
        ["TaskQueue:Results:Provider"] = "S3",
        ["TaskQueue:Results:S3:Endpoint"] = endpoint,
        ["TaskQueue:Results:S3:Bucket"] = "taskqueue-results",
        ["TaskQueue:Results:S3:AccessKey"] = "taskqueue",
        ["TaskQueue:Results:S3:SecretKey"] = "a-long-secret",
        ["TaskQueue:Results:S3:UseTls"] = useTls ? "true" : "false",
    };
}

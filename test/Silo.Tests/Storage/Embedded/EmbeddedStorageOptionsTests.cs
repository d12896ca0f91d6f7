using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Silo.Storage.Embedded;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

public sealed class EmbeddedStorageOptionsTests
{
    [Fact]
    public void Bind_NoConfiguration_DefaultsAreValid()
    {
        var options = Bind([]);

        Assert.Equal("data/taskqueue.db", options.DatabasePath);
        Assert.Equal(256, options.MaxBatchSize);
        Assert.Equal(10_000, options.MaxPendingWrites);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.True(new EmbeddedStorageOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bind_EverySetting_IsRead()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:Embedded:DatabasePath"] = "/var/lib/taskqueue/tasks.db",
            ["TaskQueue:Storage:Embedded:MaxBatchSize"] = "64",
            ["TaskQueue:Storage:Embedded:MaxPendingWrites"] = "500",
            ["TaskQueue:Storage:Embedded:BusyTimeout"] = "00:00:30",
        });

        Assert.Equal("/var/lib/taskqueue/tasks.db", options.DatabasePath);
        Assert.Equal(64, options.MaxBatchSize);
        Assert.Equal(500, options.MaxPendingWrites);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BusyTimeout);
    }

    [Theory]
    [InlineData("DatabasePath", " ")]
    [InlineData("DatabasePath", ":memory:")]
    [InlineData("DatabasePath", "file:tasks.db?mode=memory")]
    [InlineData("MaxBatchSize", "0")]
    [InlineData("MaxBatchSize", "10001")]
    [InlineData("MaxPendingWrites", "0")]
    [InlineData("MaxPendingWrites", "1000001")]
    [InlineData("BusyTimeout", "00:00:00")]
    [InlineData("BusyTimeout", "-00:00:01")]
    [InlineData("BusyTimeout", "01:00:00")]
    public void Validate_BadSetting_FailsNamingItAndItsEnvironmentVariable(string key, string value)
    {
        var options = Bind(new Dictionary<string, string?> { [$"TaskQueue:Storage:Embedded:{key}"] = value });

        var result = new EmbeddedStorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"TaskQueue:Storage:Embedded:{key} ", failure, StringComparison.Ordinal);
        Assert.Contains($"TaskQueue__Storage__Embedded__{key}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_InvalidSetting_FailsBeforeAnythingOpens()
    {
        var folder = Directory.CreateTempSubdirectory("taskqueue-options-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TaskQueue:Storage:Embedded:DatabasePath"] = Path.Combine(folder, "tasks.db"),
                ["TaskQueue:Storage:Embedded:MaxBatchSize"] = "-3",
            });
            builder.Services.AddEmbeddedTaskStorage();
            using var host = builder.Build();

            var error = await Assert.ThrowsAsync<OptionsValidationException>(
                () => host.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("TaskQueue__Storage__Embedded__MaxBatchSize", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "tasks.db")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static EmbeddedStorageOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new EmbeddedStorageOptions();
        configuration.GetSection(EmbeddedStorageOptions.SectionName).Bind(options);
        return options;
    }
}

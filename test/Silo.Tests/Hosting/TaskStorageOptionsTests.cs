using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TaskQueue.Silo.Hosting;
using Xunit;

namespace TaskQueue.Silo.Tests.Hosting;

public sealed class TaskStorageOptionsTests
{
    [Theory]
    [InlineData(null, TaskStorageProvider.Embedded)]
    [InlineData("Embedded", TaskStorageProvider.Embedded)]
    [InlineData("postgresql", TaskStorageProvider.PostgreSql)]
    [InlineData("MongoDb", TaskStorageProvider.MongoDb)]
    public void ProviderOf_KnownOrMissingValue_PicksTheBackend(string? value, TaskStorageProvider expected)
    {
        Assert.Equal(expected, TaskStorageOptions.ProviderOf(Configuration(value)));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("7")]
    [InlineData("Embedded;DROP")]
    public void ProviderOf_UnknownValue_StopsStartUpNamingTheSettingAndItsChoices(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => TaskStorageOptions.ProviderOf(Configuration(value)));

        Assert.Contains("TaskQueue__Storage__Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embedded, PostgreSql, MongoDb", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string? provider) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TaskQueue:Storage:Provider"] = provider })
            .Build();
}

using Microsoft.Extensions.Configuration;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

public sealed class MongoDbStorageOptionsTests
{
    [Fact]
    public void Bind_OnlyConnectionString_DefaultsAreValid()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:MongoDb:ConnectionString"] = "mongodb://mongo:27017",
        });

        Assert.Equal("taskqueue", options.Database);
        Assert.Equal(32, options.MaxConnectionPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(15), options.ServerSelectionTimeout);
        Assert.True(options.CreateIndexesOnStart);
        Assert.True(new MongoDbStorageOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bind_EverySetting_IsRead()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:MongoDb:ConnectionString"] = "mongodb://a:27017,b:27018/?replicaSet=rs0",
            ["TaskQueue:Storage:MongoDb:Database"] = "tasks_prod",
            ["TaskQueue:Storage:MongoDb:MaxConnectionPoolSize"] = "8",
            ["TaskQueue:Storage:MongoDb:ServerSelectionTimeout"] = "00:00:03",
            ["TaskQueue:Storage:MongoDb:CreateIndexesOnStart"] = "false",
        });

        Assert.Equal("mongodb://a:27017,b:27018/?replicaSet=rs0", options.ConnectionString);
        Assert.Equal("tasks_prod", options.Database);
        Assert.Equal(8, options.MaxConnectionPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ServerSelectionTimeout);
        Assert.False(options.CreateIndexesOnStart);
        Assert.True(new MongoDbStorageOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("ConnectionString", "")]
    [InlineData("ConnectionString", "  ")]
    [InlineData("ConnectionString", "postgres://db:5432")]
    [InlineData("ConnectionString", "mongodb://")]
    [InlineData("ConnectionString", "mongodb://host:99999")]
    [InlineData("ConnectionString", "mongodb://host/?maxPoolSize=many")]
    [InlineData("Database", "")]
    [InlineData("Database", "task.queue")]
    [InlineData("Database", "task queue")]
    [InlineData("Database", "tasks$")]
    [InlineData("Database", "a/b")]
    [InlineData("Database", "a234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("MaxConnectionPoolSize", "0")]
    [InlineData("MaxConnectionPoolSize", "501")]
    [InlineData("ServerSelectionTimeout", "00:00:00")]
    [InlineData("ServerSelectionTimeout", "00:00:00.050")]
    [InlineData("ServerSelectionTimeout", "-00:00:01")]
    [InlineData("ServerSelectionTimeout", "00:10:01")]
    public void Validate_BadSetting_FailsNamingItAndItsEnvironmentVariable(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:MongoDb:ConnectionString"] = "mongodb://mongo:27017",
            [$"TaskQueue:Storage:MongoDb:{key}"] = value,
        };
        var options = Bind(settings);

        var result = new MongoDbStorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"TaskQueue:Storage:MongoDb:{key} ", failure, StringComparison.Ordinal);
        Assert.Contains($"(environment variable TaskQueue__Storage__MongoDb__{key})", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoConnectionString_SaysWhatToSet()
    {
        var result = new MongoDbStorageOptionsValidator().Validate(null, new MongoDbStorageOptions());

        var failure = Assert.Single(result.Failures!);
        Assert.Equal(
            "TaskQueue:Storage:MongoDb:ConnectionString must be set to a MongoDB connection string, for example "
            + "mongodb://mongo:27017 (environment variable TaskQueue__Storage__MongoDb__ConnectionString).",
            failure);
    }

    [Theory]
    [InlineData("mongodb://admin:s3cr%40t-Pa55@host:27017/?authSource=admin&maxPoolSize=many")]
    [InlineData("mongodb://admin:s3cr%40t-Pa55@host:notaport/")]
    [InlineData("mongodb://admin:s3cr%40t-Pa55@host/?tlsCertificateKeyFilePassword=s3cr%40t-Pa55&w=nonsense&j=x")]
    public void Validate_InvalidConnectionStringWithPassword_NeverQuotesThePassword(string connectionString)
    {
        var options = new MongoDbStorageOptions { ConnectionString = connectionString };

        var result = new MongoDbStorageOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("is not a valid MongoDB connection string", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55", failure, StringComparison.Ordinal);
    }

    private static MongoDbStorageOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new MongoDbStorageOptions();
        configuration.GetSection(MongoDbStorageOptions.SectionName).Bind(options);
        return options;
    }
}

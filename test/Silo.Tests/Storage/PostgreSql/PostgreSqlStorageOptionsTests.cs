using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Silo.Storage.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

public sealed class PostgreSqlStorageOptionsTests
{
    private const string Valid = "Host=db.example;Port=5432;Database=taskqueue;Username=tq;Password=s3cret-pw";

    [Fact]
    public void Bind_OnlyConnectionString_DefaultsAreValid()
    {
        var options = Bind(new Dictionary<string, string?> { ["TaskQueue:Storage:PostgreSql:ConnectionString"] = Valid });

        Assert.Equal(16, options.MaxPoolSize);
        Assert.Equal("taskqueue", options.Schema);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CommandTimeout);
        Assert.True(options.ApplySchemaOnStart);
        Assert.True(new PostgreSqlStorageOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bind_EverySetting_IsRead()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:PostgreSql:ConnectionString"] = Valid,
            ["TaskQueue:Storage:PostgreSql:MaxPoolSize"] = "40",
            ["TaskQueue:Storage:PostgreSql:Schema"] = "tq_prod",
            ["TaskQueue:Storage:PostgreSql:CommandTimeout"] = "00:01:00",
            ["TaskQueue:Storage:PostgreSql:ApplySchemaOnStart"] = "false",
        });

        Assert.Equal(Valid, options.ConnectionString);
        Assert.Equal(40, options.MaxPoolSize);
        Assert.Equal("tq_prod", options.Schema);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CommandTimeout);
        Assert.False(options.ApplySchemaOnStart);
    }

    [Theory]
    [InlineData("ConnectionString", "")]
    [InlineData("ConnectionString", "Host=db;Password=s3cret-pw;Port=eighty")]
    [InlineData("ConnectionString", "Host=db;Password=s3cret-pw;Colour=blue")]
    [InlineData("ConnectionString", "Database=taskqueue;Password=s3cret-pw")]
    [InlineData("ConnectionString", "Host=db;Password=s3cret-pw;Port=70000")]
    [InlineData("MaxPoolSize", "0")]
    [InlineData("MaxPoolSize", "1001")]
    [InlineData("Schema", "")]
    [InlineData("Schema", "TaskQueue")]
    [InlineData("Schema", "task-queue")]
    [InlineData("Schema", "tq\"; DROP TABLE x; --")]
    [InlineData("Schema", "pg_catalog")]
    [InlineData("Schema", "information_schema")]
    [InlineData("CommandTimeout", "00:00:00")]
    [InlineData("CommandTimeout", "00:00:00.5")]
    [InlineData("CommandTimeout", "02:00:00")]
    public void Validate_BadSetting_FailsNamingItAndItsEnvironmentVariable(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:PostgreSql:ConnectionString"] = Valid,
            [$"TaskQueue:Storage:PostgreSql:{key}"] = value,
        };
        var options = Bind(settings);

        var result = new PostgreSqlStorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"TaskQueue:Storage:PostgreSql:{key} ", failure, StringComparison.Ordinal);
        Assert.Contains($"TaskQueue__Storage__PostgreSql__{key}", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPostgreSqlTaskStorage_NoConnectionString_HostRefusesToStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddPostgreSqlTaskStorage();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(
            () => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("TaskQueue__Storage__PostgreSql__ConnectionString", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password=pw", 16, 30, "taskqueue")]
    [InlineData("Host=db;Password=pw;Maximum Pool Size=5;Command Timeout=7;Application Name=mine", 5, 7, "mine")]
    [InlineData("Host=db;Password=pw;MaxPoolSize=100", 100, 30, "taskqueue")]
    public void Configure_ConnectionString_OurBoundsUnlessItNamesItsOwn(
        string connectionString,
        int maxPoolSize,
        int commandTimeoutSeconds,
        string applicationName)
    {
        var settings = PostgreSqlDatabase.Configure(new PostgreSqlStorageOptions { ConnectionString = connectionString });

        Assert.Equal(maxPoolSize, settings.MaxPoolSize);
        Assert.Equal(commandTimeoutSeconds, settings.CommandTimeout);
        Assert.Equal(applicationName, settings.ApplicationName);
        Assert.Equal("pw", settings.Password);
    }

    [Fact]
    public void Describe_Settings_NamesServerDatabaseAndUserButNeverThePassword()
    {
        var settings = PostgreSqlDatabase.Configure(new PostgreSqlStorageOptions { ConnectionString = Valid });

        var description = PostgreSqlDatabase.Describe(settings);

        Assert.Equal("PostgreSQL at db.example:5432, database 'taskqueue' as user 'tq'", description);
    }

    private static PostgreSqlStorageOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<PostgreSqlStorageOptions>().BindConfiguration(PostgreSqlStorageOptions.SectionName);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value;
    }
}

using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using TaskQueue.Silo.Results;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>Bad result store settings fail at start with a message naming the setting and its variable.</summary>
public sealed class ResultStoreOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = Validate(new ResultStoreOptions(), Environments.Production);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_CompleteS3Settings_Succeeds()
    {
        var result = Validate(S3(_ => { }), Environments.Production);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_S3WithoutSettings_NamesEveryMissingVariable()
    {
        var result = Validate(new ResultStoreOptions { Provider = ResultStoreProvider.S3 }, Environments.Development);

        Assert.True(result.Failed);
        Assert.Contains("TaskQueue__Results__S3__Endpoint", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__Bucket", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__AccessKey", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__SecretKey", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void Validate_S3SettingsUnderLocalFolder_AreIgnored()
    {
        var options = new ResultStoreOptions { S3 = { Endpoint = "http://not-checked", Bucket = "X" } };

        var result = Validate(options, Environments.Production);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://minio:9000", "has a scheme")]
    [InlineData("https://s3.amazonaws.com", "has a scheme")]
    [InlineData("minio:9000/results", "is not a host")]
    [InlineData("user@minio:9000", "is not a host")]
    [InlineData("minio:99999", "is not a host")]
    public void Validate_MalformedEndpoint_Fails(string endpoint, string expected)
    {
        var result = Validate(S3(s3 => s3.Endpoint = endpoint), Environments.Development);

        var message = Assert.Single(result.Failures!);
        Assert.Contains("TaskQueue__Results__S3__Endpoint", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Results")]
    [InlineData("results_bucket")]
    [InlineData("-results")]
    [InlineData("results..old")]
    public void Validate_InvalidBucketName_Fails(string bucket)
    {
        var result = Validate(S3(s3 => s3.Bucket = bucket), Environments.Development);

        var message = Assert.Single(result.Failures!);
        Assert.Contains("TaskQueue__Results__S3__Bucket", message, StringComparison.Ordinal);
        Assert.Contains("not a valid bucket name", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/results/")]
    [InlineData("results//old/")]
    [InlineData("results/../other/")]
    [InlineData("r\u00e9sultats/")]
    [InlineData("results?x=1")]
    public void Validate_UnusableKeyPrefix_Fails(string prefix)
    {
        var result = Validate(S3(s3 => s3.KeyPrefix = prefix), Environments.Development);

        var message = Assert.Single(result.Failures!);
        Assert.Contains("TaskQueue__Results__S3__KeyPrefix", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tenant-a/results/")]
    [InlineData("results-")]
    public void Validate_UsableKeyPrefix_Succeeds(string prefix)
    {
        var result = Validate(S3(s3 => s3.KeyPrefix = prefix), Environments.Development);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("US-EAST-1")]
    public void Validate_InvalidRegion_Fails(string region)
    {
        var result = Validate(S3(s3 => s3.Region = region), Environments.Development);

        Assert.Contains("TaskQueue__Results__S3__Region", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RequestTimeoutZero_Fails()
    {
        var result = Validate(S3(s3 => s3.RequestTimeout = TimeSpan.Zero), Environments.Development);

        Assert.Contains(
            "TaskQueue__Results__S3__RequestTimeout",
            Assert.Single(result.Failures!),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlainHttpInProduction_FailsNamingBothWaysOut()
    {
        var result = Validate(S3(s3 => s3.UseTls = false), Environments.Production);

        var message = Assert.Single(result.Failures!);
        Assert.Contains("TaskQueue__Results__S3__UseTls", message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__AllowInsecureHttp", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlainHttpInProductionExplicitlyAllowed_Succeeds()
    {
        var result = Validate(
            S3(s3 =>
            {
                s3.UseTls = false;
                s3.AllowInsecureHttp = true;
            }),
            Environments.Production);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    public void Validate_PlainHttpOutsideProduction_Succeeds(string environment)
    {
        var result = Validate(S3(s3 => s3.UseTls = false), environment);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("data/\0results")]
    public void Validate_UnusableLocalFolder_Fails(string path)
    {
        var result = Validate(new ResultStoreOptions { LocalFolder = { Path = path } }, Environments.Production);

        Assert.Contains(
            "TaskQueue__Results__LocalFolder__Path",
            Assert.Single(result.Failures!),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedProvider_Fails()
    {
        var result = Validate(new ResultStoreOptions { Provider = (ResultStoreProvider)7 }, Environments.Production);

        Assert.Contains("TaskQueue__Results__Provider", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(
        ResultStoreOptions options,
        string environment) =>
        new ResultStoreOptionsValidator(new FixedEnvironment(environment)).Validate(null, options);

    private static ResultStoreOptions S3(Action<S3ResultStoreOptions> adjust)
    {
        var options = new ResultStoreOptions
        {
            Provider = ResultStoreProvider.S3,
            S3 =
            {
                Endpoint = "minio.storage.svc:9000",
                Bucket = "taskqueue-results",
                AccessKey = "taskqueue",
                SecretKey = "a-long-secret",
            },
        };
        adjust(options.S3);
        return options;
    }

    private sealed class FixedEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "TaskQueue.Silo.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

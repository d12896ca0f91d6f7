using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Tests.Support;
using TaskQueue.Silo.Hosting;
using Xunit;

namespace TaskQueue.Gateway.Tests;

public sealed class GatewayOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new GatewayOptionsValidator().Validate(null, new GatewayOptions()).Succeeded);
        Assert.True(new TaskQueueClusterOptionsValidator().Validate(null, new TaskQueueClusterOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(GatewayOptions.UserHeader), "X User")]
    [InlineData(nameof(GatewayOptions.UserHeader), "")]
    [InlineData(nameof(GatewayOptions.MaxRequestBodyBytes), "10")]
    [InlineData(nameof(GatewayOptions.MaxRequestBodyBytes), "1000000000")]
    [InlineData(nameof(GatewayOptions.ReadinessTimeout), "00:00:00")]
    [InlineData(nameof(GatewayOptions.UnavailableRetryAfter), "00:00:00.5")]
    public void Validate_BadGatewaySetting_NamesSettingAndEnvironmentVariable(string key, string value)
    {
        var options = new GatewayOptions();
        var property = typeof(GatewayOptions).GetProperty(key)!;
        property.SetValue(options, Convert(value, property.PropertyType));

        var result = new GatewayOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"TaskQueue:Gateway:{key}", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"TaskQueue__Gateway__{key}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TaskQueueClusterOptions.ClusterId), "")]
    [InlineData(nameof(TaskQueueClusterOptions.ServiceId), "has spaces")]
    [InlineData(nameof(TaskQueueClusterOptions.GatewayPort), "0")]
    [InlineData(nameof(TaskQueueClusterOptions.GatewayPort), "70000")]
    [InlineData(nameof(TaskQueueClusterOptions.AdvertisedAddress), "silo-1.example")]
    [InlineData(nameof(TaskQueueClusterOptions.AdvertisedAddress), "0.0.0.0")]
    [InlineData(nameof(TaskQueueClusterOptions.AdvertisedAddress), "::")]
    public void Validate_BadClusterSetting_NamesSettingAndEnvironmentVariable(string key, string value)
    {
        var options = new TaskQueueClusterOptions();
        var property = typeof(TaskQueueClusterOptions).GetProperty(key)!;
        property.SetValue(options, Convert(value, property.PropertyType));

        var result = new TaskQueueClusterOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"TaskQueue__Cluster__{key}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InvalidSetting_FailsNamingTheEnvironmentVariable()
    {
        using var factory = new NoClusterGatewayFactory().WithWebHostBuilder(
            builder => builder.UseSetting("TaskQueue:Gateway:MaxRequestBodyBytes", "12"));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("TaskQueue__Gateway__MaxRequestBodyBytes", error.Message, StringComparison.Ordinal);
    }

    private static object Convert(string value, Type type) =>
        type == typeof(TimeSpan) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
        : type == typeof(string) ? value
        : System.Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
}

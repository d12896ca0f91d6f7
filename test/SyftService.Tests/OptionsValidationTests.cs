using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using TaskQueue.SyftService.Tests.Support;

namespace TaskQueue.SyftService.Tests;

/// <summary>Settings are checked when the service starts; each refusal names the setting and its variable.</summary>
public sealed class OptionsValidationTests : IDisposable
{
    private const string S = ServiceUnderTest.Section;
    private const string R = ServiceUnderTest.RegistrySection;
    private const StringComparison Ordinal = StringComparison.Ordinal;

    private readonly StandInEngine _syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);

    [Fact]
    public void Start_ProductionWithPlainHttpToLoopback_IsRefused()
    {
        var failure = StartFailure(new() { [R + "AllowInsecureLoopback"] = "true" }, "Production");

        Assert.Contains("TaskQueue__SyftService__Registry__AllowInsecureLoopback", failure, StringComparison.Ordinal);
        Assert.Contains("not allowed in Production", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ProductionWithCredentialsForAPlainHttpRegistry_IsRefused()
    {
        var failure = StartFailure(
            new()
            {
                [R + "InsecureRegistries:0"] = "registry.internal:5000",
                [R + "Credentials:0:Registry"] = "registry.internal:5000",
                [R + "Credentials:0:Username"] = "u",
                [R + "Credentials:0:Password"] = "p",
            },
            "Production");

        Assert.Contains("TaskQueue__SyftService__Registry__Credentials__0__Registry", failure, Ordinal);
        Assert.Contains("unencrypted", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(S + "ScanDeadline", "00:00:00", "TaskQueue__SyftService__ScanDeadline")]
    [InlineData(S + "MaxConcurrentScans", "0", "TaskQueue__SyftService__MaxConcurrentScans")]
    [InlineData(S + "BusySlotWait", "00:01:00", "TaskQueue__SyftService__BusySlotWait")]
    [InlineData(S + "BusyRetryAfter", "00:00:00", "TaskQueue__SyftService__BusyRetryAfter")]
    [InlineData(S + "MaxRequestBodyBytes", "10", "TaskQueue__SyftService__MaxRequestBodyBytes")]
    [InlineData(S + "TimeoutPath", "/nonexistent/timeout", "TaskQueue__SyftService__TimeoutPath")]
    [InlineData(S + "WorkFolder", "relative/folder", "TaskQueue__SyftService__WorkFolder")]
    [InlineData(S + "WorkFolder", "/tmp/a=b", "TaskQueue__SyftService__WorkFolder")]
    [InlineData(R + "ManifestCheckTimeout", "01:00:00", "TaskQueue__SyftService__Registry__ManifestCheckTimeout")]
    [InlineData(R + "DockerHubMirror", "http://mirror", "TaskQueue__SyftService__Registry__DockerHubMirror")]
    [InlineData(R + "DockerHubMirror", "docker.io", "TaskQueue__SyftService__Registry__DockerHubMirror")]
    [InlineData(R + "InsecureRegistries:0", "bad host", "TaskQueue__SyftService__Registry__InsecureRegistries__0")]
    [InlineData(R + "AllowedRegistries:0", "-x", "TaskQueue__SyftService__Registry__AllowedRegistries__0")]
    [InlineData(R + "Credentials:0:Registry", "ghcr.io", "TaskQueue__SyftService__Registry__Credentials__0__Password")]
    public void Start_InvalidSetting_IsRefusedNamingIt(string key, string value, string variable)
    {
        var failure = StartFailure(new() { [key] = value }, "Development");

        Assert.Contains(variable, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ChosenEngineMissing_IsRefusedNamingItsPathSetting()
    {
        var failure = StartFailure(new() { [S + "SyftPath"] = "/nonexistent/syft" }, "Development");

        Assert.Contains("Syft ('/nonexistent/syft', set by TaskQueue__SyftService__SyftPath)", failure, Ordinal);
    }

    [Fact]
    public void Start_EngineNotExecutable_IsRefused()
    {
        File.SetUnixFileMode(_syft.ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var failure = StartFailure([], "Development");

        Assert.Contains("TaskQueue__SyftService__SyftPath", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_UnknownEngine_IsRefused()
    {
        var exception = Assert.ThrowsAny<InvalidOperationException>(
            () => Start(new() { [S + "Engine"] = "Grype" }, "Development"));

        Assert.Contains("Engine", exception.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", R + "AllowInsecureLoopback", "true")]
    [InlineData("Production", R + "InsecureRegistries:0", "127.0.0.1:5000")]
    [InlineData("Production", R + "DockerHubMirror", "mirror.example.com:5000")]
    public async Task Start_SafeSettings_Starts(string environment, string key, string value)
    {
        using var deadline = Deadline.Seconds(30);
        await using var factory = ServiceUnderTest.CreateFactory(Settings(new() { [key] = value }), environment);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz", deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _syft.Dispose();

    /// <summary>
    /// The start-up validation's message, got by resolving the options as the host does at start. (Starting a
    /// WebApplicationFactory whose app fails to start races with its disposal and often reports an
    /// ObjectDisposedException instead of the failure: dotnet/aspnetcore#33494. The real process test checks that
    /// a refused setting stops the real service.)
    /// </summary>
    private string StartFailure(Dictionary<string, string?> settings, string environment)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Start(settings, environment));
        return exception.Message;
    }

    private void Start(Dictionary<string, string?> settings, string environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(settings)).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment
            {
                EnvironmentName = environment,
                ContentRootPath = AppContext.BaseDirectory,
            })
            .AddLogging()
            .AddSyftService();
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<SyftServiceOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<RegistryOptions>>().Value;
    }

    private Dictionary<string, string?> Settings(Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            [S + "Engine"] = "Syft",
            [S + "SyftPath"] = _syft.ExecutablePath,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }
}

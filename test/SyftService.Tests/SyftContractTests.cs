using System.Net;
using TaskQueue.SyftService.Tests.Support;
using TaskQueue.TestSupport.Images;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// How the service calls Syft, checked against Syft's documented command line and configuration
/// (<c>syft scan</c>, <c>--from registry</c>, <c>-o &lt;format&gt;=&lt;file&gt;</c>, <c>SYFT_*</c> environment
/// variables). Syft cannot be installed on these machines (it is in neither Debian, npm nor NuGet), so a
/// stand-in script named <c>syft</c> takes its place: it records the arguments and environment it was given and
/// writes a small SBOM where it was asked to. The registry and the manifest check before it are real.
/// </summary>
[Collection(SharedRegistry.Name)]
public sealed class SyftContractTests(RegistryImageFixture fixture)
{
    private const string S = ServiceUnderTest.Section;
    private const string R = ServiceUnderTest.RegistrySection;
    private const string Password = "pa55-Word-for-syft";

    /// <summary>What the stand-in's shell adds to any environment by itself.</summary>
    private static readonly string[] ShellVariables = ["PWD", "OLDPWD", "SHLVL", "_"];

    [Fact]
    public async Task Scan_WithSyft_CallsItAsItsDocumentationSays()
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = SyftSettings(syft);
        settings[R + "Credentials:0:Registry"] = registry.Host;
        settings[R + "Credentials:0:Username"] = "scanner";
        settings[R + "Credentials:0:Password"] = Password;
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var body = await response.Content.ReadAsStringAsync(deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, body);
        Assert.Equal("application/vnd.cyclonedx+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[]}\n", body);

        var arguments = syft.Arguments();
        var environment = syft.Environment();
        var workspace = syft.WorkingDirectory();
        Assert.Equal(
            ["scan", "--from", "registry", "-o", $"cyclonedx-json={workspace}/out/sbom.json", "--", image.Reference],
            arguments);
        Assert.DoesNotContain(arguments, a => a.Contains(Password, StringComparison.Ordinal));
        Assert.Equal("false", environment["SYFT_CHECK_FOR_APP_UPDATE"]);
        Assert.Equal("true", environment["SYFT_REGISTRY_INSECURE_USE_HTTP"]);
        Assert.Equal(registry.Host, environment["SYFT_REGISTRY_AUTH_AUTHORITY"]);
        Assert.Equal("scanner", environment["SYFT_REGISTRY_AUTH_USERNAME"]);
        Assert.Equal(Password, environment["SYFT_REGISTRY_AUTH_PASSWORD"]);
        Assert.Equal($"{workspace}/cache/syft", environment["SYFT_CACHE_DIR"]);
    }

    [Fact]
    public async Task Scan_WithSyft_RunsInItsOwnFoldersWithNothingElseOfTheServicesEnvironment()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(SyftSettings(syft));

        using var response = await service.ScanAsync(image.Reference, "spdx-json", deadline.Token);
        var body = await response.Content.ReadAsStringAsync(deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, body);
        Assert.Equal("application/spdx+json", response.Content.Headers.ContentType?.MediaType);
        var workspace = syft.WorkingDirectory();
        var environment = syft.Environment();
        Assert.StartsWith(service.WorkFolder + "/scan-", workspace, StringComparison.Ordinal);
        Assert.Contains($"spdx-json={workspace}/out/sbom.json", syft.Arguments());
        Assert.Equal($"{workspace}/home", environment["HOME"]);
        Assert.Equal($"{workspace}/tmp", environment["TMPDIR"]);
        Assert.Equal($"{workspace}/cache", environment["XDG_CACHE_HOME"]);
        Assert.Equal($"{workspace}/config", environment["XDG_CONFIG_HOME"]);
        Assert.Equal($"{workspace}/docker", environment["DOCKER_CONFIG"]);
        Assert.False(environment.ContainsKey("SYFT_REGISTRY_AUTH_PASSWORD"));
        string[] allowed =
        [
            "HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "DOCKER_CONFIG", "NO_COLOR",
            "PATH", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "SSL_CERT_FILE", "SSL_CERT_DIR", .. ShellVariables,
        ];
        Assert.All(environment.Keys, key => Assert.True(
            allowed.Contains(key) || key.StartsWith("SYFT_", StringComparison.Ordinal),
            $"The engine saw the service's variable {key}."));
        Assert.False(Directory.Exists(workspace), "The scan's folder outlived the scan.");
        Assert.Empty(service.Leftovers());
    }

    [Fact]
    public async Task Scan_DockerHubImageWithAMirror_GivesSyftTheMirrorsReference()
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = SyftSettings(syft);
        settings[R + "DockerHubMirror"] = registry.Host;
        await using var service = ServiceUnderTest.Start(settings);

        // On Docker Hub this would be docker.io/tests/busybox-dpkg:1.0; the mirror serves it.
        using var response = await service.ScanAsync($"{image.Repository}:{image.Tag}", deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, await response.Content.ReadAsStringAsync(deadline.Token));
        Assert.Equal(image.Reference, syft.Arguments()[^1]);
        Assert.Equal("true", syft.Environment()["SYFT_REGISTRY_INSECURE_USE_HTTP"]);
    }

    [Fact]
    public async Task Scan_TagAndDigest_GivesSyftTheDigestOnly()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(SyftSettings(syft));

        using var response = await service.ScanAsync($"{image.Reference}@{image.Digest}", deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, await response.Content.ReadAsStringAsync(deadline.Token));
        Assert.Equal(image.DigestReference, syft.Arguments()[^1]);
    }

    [Fact]
    public async Task Scan_ProductionWithTheRegistryListedAsInsecure_UsesPlainHttpForThatRegistryOnly()
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = SyftSettings(syft);
        settings[R + "InsecureRegistries:0"] = registry.Host;
        await using var service = ServiceUnderTest.Start(settings, environment: "Production");

        using var response = await service.ScanAsync(image.Reference, deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, await response.Content.ReadAsStringAsync(deadline.Token));
        Assert.Equal("true", syft.Environment()["SYFT_REGISTRY_INSECURE_USE_HTTP"]);
    }

    [Fact]
    public async Task Scan_AutoWithSyftAndTrivyInstalled_PicksSyft()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(new Dictionary<string, string?>
        {
            [S + "Engine"] = "Auto",
            [S + "SyftPath"] = syft.ExecutablePath,
            [S + "TrivyPath"] = ImageTools.Trivy(),
        });

        using var response = await service.ScanAsync(image.Reference, deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, await response.Content.ReadAsStringAsync(deadline.Token));
        Assert.True(syft.HasRun, "Auto did not run Syft although it is installed.");
    }

    private static Dictionary<string, string?> SyftSettings(StandInEngine syft) => new()
    {
        [S + "Engine"] = "Syft",
        [S + "SyftPath"] = syft.ExecutablePath,
    };
}

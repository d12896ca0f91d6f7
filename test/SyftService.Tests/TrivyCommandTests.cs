using System.Net;
using System.Text;
using System.Text.Json;
using TaskQueue.SyftService.Tests.Support;
using TaskQueue.TestSupport.Images;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// The exact command the service gives Trivy, recorded by a stand-in script named <c>trivy</c> (the real Trivy's
/// scans are in the other tests; this one shows what it was told, and how credentials reached it).
/// </summary>
[Collection(SharedRegistry.Name)]
public sealed class TrivyCommandTests(RegistryImageFixture fixture)
{
    private const string S = ServiceUnderTest.Section;
    private const string R = ServiceUnderTest.RegistrySection;

    [Fact]
    public async Task Scan_WithTrivy_PassesCredentialsInItsOwnDockerConfigNotOnTheCommandLine()
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        using var trivy = StandInEngine.Create("trivy", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(new Dictionary<string, string?>
        {
            [S + "Engine"] = "Trivy",
            [S + "TrivyPath"] = trivy.ExecutablePath,
            [S + "ScanDeadline"] = "00:02:00",
            [R + "Credentials:0:Registry"] = registry.Host,
            [R + "Credentials:0:Username"] = "scanner",
            [R + "Credentials:0:Password"] = "trivy-Secret-9",
        });

        using var response = await service.ScanAsync(image.Reference, "spdx-json", deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, await response.Content.ReadAsStringAsync(deadline.Token));
        var workspace = trivy.WorkingDirectory();
        Assert.Equal(
            [
                "image", "--image-src", "remote", "--format", "spdx-json",
                "--output", $"{workspace}/out/sbom.json", "--cache-dir", $"{workspace}/cache/trivy",
                "--skip-db-update", "--skip-java-db-update", "--offline-scan", "--no-progress",
                "--timeout", "180s", "--insecure", "--", image.Reference,
            ],
            trivy.Arguments());
        Assert.DoesNotContain(trivy.Arguments(), a => a.Contains("trivy-Secret-9", StringComparison.Ordinal));
        Assert.DoesNotContain(trivy.Environment().Values, v => v.Contains("trivy-Secret-9", StringComparison.Ordinal));
        Assert.Equal($"{workspace}/docker", trivy.Environment()["DOCKER_CONFIG"]);
        var (json, mode) = trivy.DockerConfig()!.Value;
        Assert.Equal("600", mode);
        using var config = JsonDocument.Parse(json);
        var auth = config.RootElement.GetProperty("auths").GetProperty(registry.Host).GetProperty("auth").GetString();
        Assert.Equal("scanner:trivy-Secret-9", Encoding.UTF8.GetString(Convert.FromBase64String(auth!)));
        Assert.Empty(service.Leftovers());
    }

    [Fact]
    public async Task Scan_WithTrivyAndNoCredentials_WritesNoDockerConfig()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var trivy = StandInEngine.Create("trivy", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(new Dictionary<string, string?>
        {
            [S + "Engine"] = "Trivy",
            [S + "TrivyPath"] = trivy.ExecutablePath,
        });

        using var response = await service.ScanAsync(image.Reference, deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, await response.Content.ReadAsStringAsync(deadline.Token));
        Assert.Contains("cyclonedx", trivy.Arguments());
        Assert.Null(trivy.DockerConfig());
    }
}

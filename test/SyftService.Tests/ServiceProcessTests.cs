using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskQueue.SyftService.Tests.Support;
using TaskQueue.TestSupport.Images;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// The real service process (<c>dotnet TaskQueue.SyftService.dll</c>) in the Production environment, configured
/// through environment variables, talking real HTTP to a real registry and running the real Trivy.
/// </summary>
[Collection(SharedRegistry.Name)]
public sealed class ServiceProcessTests(RegistryImageFixture fixture)
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public async Task ServiceProcess_ScansTheTestImage_AnswersItsExactPackages()
    {
        using var deadline = Deadline.Seconds(180);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        await using var service = await ServiceProcess.StartAsync(TrivyEnvironment(registry.Host), deadline.Token);

        using var cyclonedx = await ScanAsync(service, image.Reference, null, deadline.Token);
        var cyclonedxBody = await cyclonedx.Content.ReadAsStringAsync(deadline.Token);
        using var spdx = await ScanAsync(service, image.DigestReference, "spdx-json", deadline.Token);
        var spdxBody = await spdx.Content.ReadAsStringAsync(deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, cyclonedx, cyclonedxBody + service.RecentOutput);
        Assert.Equal("application/vnd.cyclonedx+json", cyclonedx.Content.Headers.ContentType?.MediaType);
        using var bom = JsonDocument.Parse(cyclonedxBody);
        Assert.Equal(Sbom.ExpectedForCycloneDx(), Sbom.CycloneDxDebianPackages(bom.RootElement));

        Problem.AssertStatus(HttpStatusCode.OK, spdx, spdxBody + service.RecentOutput);
        Assert.Equal("application/spdx+json", spdx.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(spdxBody);
        Assert.Equal(Sbom.ExpectedForSpdx(), Sbom.SpdxDebianPackages(document.RootElement));

        Assert.Empty(Directory.EnumerateFileSystemEntries(service.WorkFolder));
        Assert.Contains("[5002]", service.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceProcess_BadRequests_AnswerPromptlyWithTheirOwnStatus()
    {
        using var deadline = Deadline.Seconds(120);
        var (registry, _) = await fixture.GetAsync(deadline.Token);
        await using var service = await ServiceProcess.StartAsync(TrivyEnvironment(registry.Host), deadline.Token);
        var nobodyListens = $"127.0.0.1:{FreePort.Next()}";
        var watch = Stopwatch.StartNew();

        var missingTagReference = $"{registry.Host}/tests/busybox-dpkg:gone";
        using var missingTag = await ScanAsync(service, missingTagReference, null, deadline.Token);
        var missingRepositoryReference = $"{registry.Host}/tests/ubuntud:1";
        using var missingRepository = await ScanAsync(service, missingRepositoryReference, null, deadline.Token);
        using var hostile = await ScanAsync(service, "--help", null, deadline.Token);
        using var down = await ScanAsync(service, $"{nobodyListens}/tests/app:1", null, deadline.Token);
        var took = watch.Elapsed;

        Assert.Equal(HttpStatusCode.NotFound, missingTag.StatusCode);
        Assert.Contains("was not found", (await Problem.ReadAsync(missingTag, deadline.Token)).Detail, Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missingRepository.StatusCode);
        Assert.Contains("was not found", (await Problem.ReadAsync(missingRepository, deadline.Token)).Detail, Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, hostile.StatusCode);
        Assert.Contains("command-line option", (await Problem.ReadAsync(hostile, deadline.Token)).Detail, Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(10, Problem.RetryAfterSeconds(down));
        Assert.True(took < TimeSpan.FromSeconds(10), $"Four refusals took {took}.");
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.WorkFolder));
    }

    [Fact]
    public async Task ServiceProcess_PlainHttpToLoopbackInProduction_RefusesToStartWithExitCodeOne()
    {
        using var deadline = Deadline.Seconds(60);
        var environment = new Dictionary<string, string?>
        {
            ["TaskQueue__SyftService__Engine"] = "Trivy",
            ["TaskQueue__SyftService__TrivyPath"] = ImageTools.Trivy(),
            ["TaskQueue__SyftService__Registry__AllowInsecureLoopback"] = "true",
        };

        var (exitCode, output) = await ServiceProcess.RunExpectingFailureAsync(environment, deadline.Token);

        Assert.Equal(1, exitCode);
        Assert.Contains("TaskQueue.SyftService cannot start; fix its settings:", output, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__SyftService__Registry__AllowInsecureLoopback", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> TrivyEnvironment(string registryHost) => new()
    {
        ["TaskQueue__SyftService__Engine"] = "Trivy",
        ["TaskQueue__SyftService__TrivyPath"] = ImageTools.Trivy(),
        ["TaskQueue__SyftService__Registry__InsecureRegistries__0"] = registryHost,
    };

    private static Task<HttpResponseMessage> ScanAsync(
        ServiceProcess service,
        string image,
        string? format,
        CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, string> { ["docker_image_id"] = image };
        if (format is not null)
        {
            body["format"] = format;
        }

        return service.Client.PostAsJsonAsync("/", body, cancellationToken);
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using TaskQueue.SyftService.Tests.Support;
using TaskQueue.TestSupport.Images;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// POST / in memory (WebApplicationFactory) against the real registry and the real Trivy; stand-in engines only
/// where a test needs an engine that hangs, blocks or crashes on demand.
/// </summary>
[Collection(SharedRegistry.Name)]
public sealed class ScanEndpointTests(RegistryImageFixture fixture)
{
    private const string S = ServiceUnderTest.Section;
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public async Task Scan_TestImageAsCycloneDx_ListsExactlyTheImagesPackages()
    {
        using var deadline = Deadline.Seconds(120);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        await using var service = ServiceUnderTest.Start(TrivySettings());

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var body = await response.Content.ReadAsStringAsync(deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, body);
        Assert.Equal("application/vnd.cyclonedx+json", response.Content.Headers.ContentType?.MediaType);
        using var bom = JsonDocument.Parse(body);
        Assert.Equal("CycloneDX", bom.RootElement.GetProperty("bomFormat").GetString());
        Assert.Equal(Sbom.ExpectedForCycloneDx(), Sbom.CycloneDxDebianPackages(bom.RootElement));
        Assert.Empty(service.Leftovers());
    }

    [Fact]
    public async Task Scan_TestImageAsSpdx_ListsExactlyTheImagesPackages()
    {
        using var deadline = Deadline.Seconds(120);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        await using var service = ServiceUnderTest.Start(TrivySettings());

        using var response = await service.ScanAsync(image.Reference, "spdx-json", deadline.Token);
        var body = await response.Content.ReadAsStringAsync(deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, body);
        Assert.Equal("application/spdx+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal("SPDX-2.3", document.RootElement.GetProperty("spdxVersion").GetString());
        Assert.Equal(Sbom.ExpectedForSpdx(), Sbom.SpdxDebianPackages(document.RootElement));
        Assert.Empty(service.Leftovers());
    }

    [Theory]
    [InlineData("tests/busybox-dpkg:no-such-tag", "no manifest for the tag 'no-such-tag'")]
    [InlineData("tests/no-such-repository:1.0", "in the repository 'tests/no-such-repository'")]
    public async Task Scan_MissingImage_Is404QuicklyWithoutRunningTheEngine(string path, string expected)
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, _) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Trivy", engine));
        var reference = $"{registry.Host}/{path}";
        var watch = Stopwatch.StartNew();

        using var response = await service.ScanAsync(reference, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Took {watch.Elapsed}.");
        Assert.Equal("Image not found", problem.Title);
        Assert.Contains($"The image '{reference}' was not found", problem.Detail, StringComparison.Ordinal);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_UbuntudThroughTheDockerHubMirror_Is404NamingTheImage()
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, _) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.WriteSbom);
        var settings = StandInSettings("Trivy", engine);
        settings[ServiceUnderTest.RegistrySection + "DockerHubMirror"] = registry.Host;
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync("ubuntud", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("The image 'docker.io/library/ubuntud:latest' was not found", problem.Detail, Ordinal);
        Assert.Contains($"the registry '{registry.Host}'", problem.Detail, StringComparison.Ordinal);
        Assert.False(engine.HasRun);
    }

    [Theory]
    [InlineData("--help", "command-line option")]
    [InlineData("-o/etc/passwd", "command-line option")]
    [InlineData("alpine --output /tmp/x", "whitespace")]
    [InlineData("alpine\n", "whitespace")]
    [InlineData("alpine\u0000", "control character")]
    [InlineData("UBUNTU", "lowercase")]
    [InlineData("http://127.0.0.1:5000/app", "URL")]
    [InlineData("registry:dir:/etc", "port")]
    [InlineData("alpine:$(touch /tmp/pwned)", "whitespace")]
    [InlineData("alpine:$(id)", "tag")]
    [InlineData("", "empty")]
    public async Task Scan_HostileReference_Is400AndNothingRuns(string reference, string expected)
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Syft", engine));

        using var response = await service.ScanAsync(reference, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The field 'docker_image_id' is not a valid image reference: ", problem.Detail, Ordinal);
        Assert.Contains(expected, problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(problem.Detail, problem.Errors!.Value.GetProperty("docker_image_id")[0].GetString());
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_OverLongReference_Is400()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Syft", engine));

        using var response = await service.ScanAsync("a/" + new string('b', 2000), deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2002 characters long; at most 512", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_BodyOverTheLimit_Is413()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Syft", engine));
        var body = $"{{\"docker_image_id\": \"alpine\", \"padding\": \"{new string('x', 20_000)}\"}}";

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await service.Client.PostAsync("/", content, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The request body is larger than 16384 bytes.", problem.Detail);
    }

    [Fact]
    public async Task Scan_NotJson_Is415()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Syft", engine));

        using var content = new StringContent("docker_image_id=alpine", Encoding.UTF8, "text/plain");
        using var response = await service.Client.PostAsync("/", content, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("must be JSON", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_RegistryDown_Is503WithRetryAfter()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Trivy", engine));
        var nobodyListens = $"127.0.0.1:{FreePort.Next()}";

        using var response = await service.ScanAsync($"{nobodyListens}/tests/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(10, Problem.RetryAfterSeconds(response));
        Assert.Equal("Registry unavailable", problem.Title);
        var expected = $"the registry '{nobodyListens}' could not be reached: Connection refused";
        Assert.Contains(expected, problem.Detail, Ordinal);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_RegistryHostThatDoesNotResolve_Is422()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Trivy", engine));

        // RFC 6761: names under .invalid never resolve, anywhere.
        using var response = await service.ScanAsync("registry.invalid/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Contains("'registry.invalid'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("does not resolve", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_SecondRequestWhileOneRuns_Is503AfterTheSlotWaitWithRetryAfter()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.WaitForRelease);
        var settings = StandInSettings("Trivy", engine);
        settings[S + "BusySlotWait"] = "00:00:01";
        await using var service = ServiceUnderTest.Start(settings);

        var first = service.ScanAsync(image.Reference, deadline.Token);
        while (!engine.HasStarted)
        {
            Assert.False(first.IsCompleted, "The first scan ended before its engine started.");
            await Task.Delay(20, deadline.Token);
        }

        var watch = Stopwatch.StartNew();
        using var second = await service.ScanAsync(image.Reference, deadline.Token);
        var busy = await Problem.ReadAsync(second, deadline.Token);
        var secondTook = watch.Elapsed;
        engine.Release();
        using var firstResponse = await first;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("Service busy", busy.Title);
        Assert.Equal(5, Problem.RetryAfterSeconds(second));
        Assert.InRange(secondTook, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
    }

    /// <summary>A cancelled task's scan ends a moment after its caller left: the next task should not pay a 503.</summary>
    [Fact]
    public async Task Scan_SlotFreedWithinTheSlotWait_SecondRequestIsScanned()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.WaitForRelease);
        var settings = StandInSettings("Trivy", engine);
        settings[S + "BusySlotWait"] = "00:00:10";
        await using var service = ServiceUnderTest.Start(settings);

        var first = service.ScanAsync(image.Reference, deadline.Token);
        while (!engine.HasStarted)
        {
            Assert.False(first.IsCompleted, "The first scan ended before its engine started.");
            await Task.Delay(20, deadline.Token);
        }

        // The stand-in rewrites its pid file on every run: the same pid after the wait means no second engine ran.
        var firstEngine = engine.ProcessIds().Script;
        var second = service.ScanAsync(image.Reference, deadline.Token);
        await Task.Delay(500, deadline.Token);
        Assert.False(second.IsCompleted, "The second scan did not wait for the slot.");
        Assert.Equal(firstEngine, engine.ProcessIds().Script);
        engine.Release();
        using var firstResponse = await first;
        using var secondResponse = await second;

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
    }

    [Fact]
    public async Task Scan_EnginePastTheDeadline_Is504AndTheProcessTreeIsKilled()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.Hang);
        var settings = StandInSettings("Trivy", engine);
        settings[S + "ScanDeadline"] = "00:00:02";
        await using var service = ServiceUnderTest.Start(settings);
        var watch = Stopwatch.StartNew();

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.Equal(
            $"The scan of '{image.Reference}' did not finish within 2 seconds and was stopped.",
            problem.Detail);
        var (script, child) = engine.ProcessIds();
        Assert.NotNull(child);
        Assert.False(Processes.IsRunning(script), "The engine survived its deadline.");
        Assert.False(Processes.IsRunning(child.Value), "The engine's child survived the deadline.");
        Assert.Empty(service.Leftovers());
    }

    [Fact]
    public async Task Scan_EngineCrashes_Is500WithAShortSanitizedReason()
    {
        using var deadline = Deadline.Seconds(60);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.Crash);
        var settings = StandInSettings("Syft", engine);
        settings[ServiceUnderTest.RegistrySection + "Credentials:0:Registry"] = registry.Host;
        settings[ServiceUnderTest.RegistrySection + "Credentials:0:Username"] = "scanner";
        settings[ServiceUnderTest.RegistrySection + "Credentials:0:Password"] = "s3cret-Passw0rd";
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Scan failed", problem.Title);
        Assert.Equal(
            $"The scan of '{image.Reference}' failed: Syft was killed by signal 11: "
                + "panic: runtime error: invalid memory address; password=***",
            problem.Detail);
        Assert.True(engine.HasRun);
        Assert.Empty(service.Leftovers());
    }

    [Fact]
    public async Task Scan_CallerGoesAway_StopsTheEngineAndRemovesTheScanFolder()
    {
        using var deadline = Deadline.Seconds(60);
        var (_, image) = await fixture.GetAsync(deadline.Token);
        using var engine = StandInEngine.Create("trivy", StandInBehaviour.Hang);
        await using var service = ServiceUnderTest.Start(StandInSettings("Trivy", engine));
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);

        var scan = service.ScanAsync(image.Reference, caller.Token);

        // Waits for the engine's own child too, so the test always checks that the child is stopped as well.
        while (!engine.HasStarted || engine.ProcessIds().Child is null)
        {
            await Task.Delay(20, deadline.Token);
        }

        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan);
        var (script, child) = engine.ProcessIds();
        while (Processes.IsRunning(script) || Processes.IsRunning(child!.Value) || service.Leftovers().Count > 0)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    [Fact]
    public async Task Start_ScanFoldersLeftByACrash_AreRemovedWhenOld()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        string? old = null;
        string? recent = null;
        string? unrelated = null;

        await using var service = ServiceUnderTest.Start(StandInSettings("Syft", engine), prepareWorkFolder: folder =>
        {
            old = Directory.CreateDirectory(Path.Combine(folder, "scan-old", "home")).Parent!.FullName;
            Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-3));
            recent = Directory.CreateDirectory(Path.Combine(folder, "scan-recent")).FullName;
            unrelated = Directory.CreateDirectory(Path.Combine(folder, "keep-me")).FullName;
            Directory.SetLastWriteTimeUtc(unrelated, DateTime.UtcNow.AddHours(-3));
        });
        using var response = await service.Client.GetAsync("/healthz", deadline.Token);

        Assert.False(Directory.Exists(old), "A scan folder hours old survived the start.");
        Assert.True(Directory.Exists(recent), "A scan folder younger than the deadline allows was removed.");
        Assert.True(Directory.Exists(unrelated), "A folder that is not a scan folder was removed.");
    }

    [Fact]
    public async Task Healthz_EngineInstalled_IsHealthy()
    {
        using var deadline = Deadline.Seconds(30);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(StandInSettings("Syft", engine));

        using var response = await service.Client.GetAsync("/healthz", deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(deadline.Token));
    }

    private static Dictionary<string, string?> TrivySettings() => new()
    {
        [S + "Engine"] = "Trivy",
        [S + "TrivyPath"] = ImageTools.Trivy(),
    };

    private static Dictionary<string, string?> StandInSettings(string engine, StandInEngine standIn) => new()
    {
        [S + "Engine"] = engine,
        [S + engine + "Path"] = standIn.ExecutablePath,
        [S + "ScanDeadline"] = "00:00:30",
    };
}

using System.Net;
using System.Text.Json;
using TaskQueue.SyftService.Tests.Support;
using TaskQueue.TestSupport.Images;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// The bearer-token flow against a real registry that demands tokens (distribution's <c>auth.token</c>): the
/// service's manifest check gets a token with the configured credentials, and the real Trivy gets the same
/// credentials through the Docker config in its scan folder, never on its command line.
/// </summary>
public sealed class RegistryTokenFlowTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>
{
    private const string S = ServiceUnderTest.Section;
    private const string R = ServiceUnderTest.RegistrySection;

    [Fact]
    public async Task Scan_PrivateImageWithCredentials_AnswersItsPackages()
    {
        using var deadline = Deadline.Seconds(180);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        await using var service = ServiceUnderTest.Start(Settings(registry.Host, TokenRegistryFixture.Password));

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var body = await response.Content.ReadAsStringAsync(deadline.Token);

        Problem.AssertStatus(HttpStatusCode.OK, response, body);
        using var bom = JsonDocument.Parse(body);
        Assert.Equal(Sbom.ExpectedForCycloneDx(), Sbom.CycloneDxDebianPackages(bom.RootElement));
        Assert.Contains(
            $"{TokenRegistryFixture.User} repository:{TokenRegistryFixture.Repository}:pull",
            fixture.Tokens.Requests);
        Assert.Empty(service.Leftovers());
    }

    [Fact]
    public async Task Scan_PrivateImageWithoutCredentials_Is404SayingNoneAreConfigured()
    {
        using var deadline = Deadline.Seconds(120);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        await using var service = ServiceUnderTest.Start(new Dictionary<string, string?>
        {
            [S + "Engine"] = "Trivy",
            [S + "TrivyPath"] = ImageTools.Trivy(),
        });

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(
            "refused access to the repository 'private/busybox-dpkg' (HTTP 401; no credentials",
            problem.Detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_PrivateImageWithAWrongPassword_Is404SayingTheCredentialsWereRefused()
    {
        using var deadline = Deadline.Seconds(120);
        var (registry, image) = await fixture.GetAsync(deadline.Token);
        await using var service = ServiceUnderTest.Start(Settings(registry.Host, "wrong-password"));

        using var response = await service.ScanAsync(image.Reference, deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("the configured credentials were not enough", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", problem.Detail, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(string registry, string password) => new()
    {
        [S + "Engine"] = "Trivy",
        [S + "TrivyPath"] = ImageTools.Trivy(),
        [R + "Credentials:0:Registry"] = registry,
        [R + "Credentials:0:Username"] = TokenRegistryFixture.User,
        [R + "Credentials:0:Password"] = password,
    };
}

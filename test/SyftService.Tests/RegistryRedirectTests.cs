using System.Net;
using Microsoft.AspNetCore.Http;
using TaskQueue.SyftService.Tests.Support;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// A registry that answers the manifest check with a redirect. Scripted servers play the registries (the real one
/// does not redirect manifests on demand); the service and its HTTP client are the real ones. Every hop is held to
/// the rules the first registry was held to: <c>AllowedRegistries</c> and plain HTTP only where allowed.
/// </summary>
public sealed class RegistryRedirectTests
{
    private const string S = ServiceUnderTest.Section;
    private const string R = ServiceUnderTest.RegistrySection;

    [Fact]
    public async Task Scan_RedirectToARegistryNotAllowed_Is502AndTheOtherHostIsNeverAsked()
    {
        using var deadline = Deadline.Seconds(30);
        await using var elsewhere = await StubRegistry.StartAsync(context => Answer(context, 200), deadline.Token);
        await using var allowed = await StubRegistry.StartAsync(
            context => Redirect(context, $"http://{elsewhere.Host}{context.Request.Path}"),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "AllowedRegistries:0"] = allowed.Host;
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync($"{allowed.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"redirected the manifest request for '{allowed.Host}/team/app:1' to '{elsewhere.Host}'",
            problem.Detail, StringComparison.Ordinal);
        Assert.Contains($"limited to: {allowed.Host}", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_RedirectToAnotherAllowedRegistry_IsFollowedWithoutTheCredentials()
    {
        using var deadline = Deadline.Seconds(30);
        await using var second = await StubRegistry.StartAsync(context => Answer(context, 200), deadline.Token);
        await using var first = await StubRegistry.StartAsync(
            context => Redirect(context, $"http://{second.Host}/moved{context.Request.Path}"),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "AllowedRegistries:0"] = first.Host;
        settings[R + "AllowedRegistries:1"] = second.Host;
        settings[R + "Credentials:0:Registry"] = first.Host;
        settings[R + "Credentials:0:Username"] = "user";
        settings[R + "Credentials:0:Password"] = "secret";
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync($"{first.Host}/team/app:1", deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["HEAD /moved/v2/team/app/manifests/1 auth=-"], second.Requests);
        Assert.True(engine.HasRun);
    }

    [Fact]
    public async Task Scan_RedirectToPlainHttpNotListedInProduction_Is502NamingTheSetting()
    {
        using var deadline = Deadline.Seconds(30);
        await using var plain = await StubRegistry.StartAsync(context => Answer(context, 200), deadline.Token);
        await using var listed = await StubRegistry.StartAsync(
            context => Redirect(context, $"http://{plain.Host}{context.Request.Path}"),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "InsecureRegistries:0"] = listed.Host;
        await using var service = ServiceUnderTest.Start(settings, environment: "Production");

        using var response = await service.ScanAsync($"{listed.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"to plain HTTP at '{plain.Host}'", problem.Detail, StringComparison.Ordinal);
        var setting = "TaskQueue__SyftService__Registry__InsecureRegistries";
        Assert.Contains(setting, problem.Detail, StringComparison.Ordinal);
        Assert.Empty(plain.Requests);
    }

    [Fact]
    public async Task Scan_RedirectLoop_Is502AfterFiveHops()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context => Redirect(context, context.Request.Path + "x"),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("more than 5 times", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(6, registry.Requests.Count);
    }

    private static Task Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    private static Task Answer(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Dictionary<string, string?> Settings(StandInEngine engine) => new()
    {
        [S + "Engine"] = "Syft",
        [S + "SyftPath"] = engine.ExecutablePath,
    };
}

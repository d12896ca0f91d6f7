using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using TaskQueue.SyftService.Tests.Support;

namespace TaskQueue.SyftService.Tests;

/// <summary>
/// What the service answers when a registry rate-limits, fails, challenges or stays silent. A scripted server
/// plays the registry (see <see cref="StubRegistry"/>); the service, its HTTP client and the engine stand-in
/// behind it are the real ones.
/// </summary>
public sealed class RegistryAnswersTests
{
    private const string S = ServiceUnderTest.Section;
    private const string R = ServiceUnderTest.RegistrySection;

    [Fact]
    public async Task Scan_RegistryRateLimitsWithRetryAfter_Is429PassingItsValueThrough()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context => Answer(context, 429, ("Retry-After", "17")),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(17, Problem.RetryAfterSeconds(response));
        Assert.Equal("Registry rate limit", problem.Title);
        Assert.Contains("rate-limiting", problem.Detail, StringComparison.Ordinal);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_RegistryRateLimitsWithADate_Is429WithTheSecondsLeft()
    {
        using var deadline = Deadline.Seconds(30);
        var date = DateTimeOffset.UtcNow.AddSeconds(90).ToString("R");
        await using var registry = await StubRegistry.StartAsync(
            context => Answer(context, 429, ("Retry-After", date)),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(Problem.RetryAfterSeconds(response), 80, 91);
    }

    [Fact]
    public async Task Scan_RegistryRateLimitsWithoutRetryAfter_Is429WithTheConfiguredDefault()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(context => Answer(context, 429), deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "RateLimitedRetryAfter"] = "00:02:00";
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(120, Problem.RetryAfterSeconds(response));
    }

    [Theory]
    [InlineData(500, null, 10)]
    [InlineData(502, null, 10)]
    [InlineData(503, "7", 7)]
    [InlineData(504, null, 10)]
    [InlineData(408, null, 10)]
    public async Task Scan_RegistryFails_Is503WithRetryAfter(int registryStatus, string? retryAfter, int expected)
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context => retryAfter is null
                ? Answer(context, registryStatus)
                : Answer(context, registryStatus, ("Retry-After", retryAfter)),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expected, Problem.RetryAfterSeconds(response));
        Assert.Contains($"answered HTTP {registryStatus}", problem.Detail, StringComparison.Ordinal);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_RegistryNeverAnswers_Is503AfterTheCheckTimeout()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context => Task.Delay(Timeout.Infinite, context.RequestAborted),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "ManifestCheckTimeout"] = "00:00:01";
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("did not answer within 1 seconds", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_RegistryRejectsTheName_Is400()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(context => Answer(context, 400), deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rejected the reference", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_RegistryWithoutHeadSupport_IsAskedWithGet()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context => context.Request.Method == "HEAD" ? Answer(context, 405) : Answer(context, 200),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ["HEAD /v2/team/app/manifests/1 auth=-", "GET /v2/team/app/manifests/1 auth=-"],
            registry.Requests);
    }

    [Fact]
    public async Task Scan_BearerChallenge_FetchesATokenWithTheCredentialsAndRetries()
    {
        using var deadline = Deadline.Seconds(30);
        StubRegistry? self = null;
        await using var registry = await StubRegistry.StartAsync(
            context =>
            {
                if (context.Request.Path == "/token")
                {
                    return Answer(context, 200, body: "{\"access_token\": \"tok-123\"}");
                }

                return context.Request.Headers.Authorization == "Bearer tok-123"
                    ? Answer(context, 200)
                    : Answer(context, 401, ("WWW-Authenticate", $"Bearer realm=\"http://{self!.Host}/token\","
                        + "service=\"stub\",scope=\"repository:other:push\""));
            },
            deadline.Token);
        self = registry;
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "Credentials:0:Registry"] = registry.Host;
        settings[R + "Credentials:0:Username"] = "user";
        settings[R + "Credentials:0:Password"] = "pw";
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pw"));
        Assert.Equal(
            [
                "HEAD /v2/team/app/manifests/1 auth=-",
                $"GET /token?service=stub&scope=repository%3Ateam%2Fapp%3Apull auth=Basic {basic}",
                "HEAD /v2/team/app/manifests/1 auth=Bearer tok-123",
            ],
            registry.Requests);
        Assert.True(engine.HasRun);
    }

    [Fact]
    public async Task Scan_BearerChallengeAndTheTokenStillRefused_Is404()
    {
        using var deadline = Deadline.Seconds(30);
        StubRegistry? self = null;
        await using var registry = await StubRegistry.StartAsync(
            context => context.Request.Path == "/token"
                ? Answer(context, 200, body: "{\"token\": \"anonymous\"}")
                : Answer(context, 401, ("WWW-Authenticate", $"Bearer realm=\"http://{self!.Host}/token\"")),
            deadline.Token);
        self = registry;
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/library/ubuntud:latest", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            $"The image '{registry.Host}/library/ubuntud:latest' was not found, or this service may not read it: "
                + $"the registry '{registry.Host}' refused access to the repository 'library/ubuntud' "
                + "(HTTP 401; no credentials are configured for it).",
            problem.Detail);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_BasicChallengeWithoutCredentials_Is404()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context => Answer(context, 401, ("WWW-Authenticate", "Basic realm=\"registry\"")),
            deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine));

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task Scan_PlainHttpRegistryNotListedInProduction_Is502SayingHowToAllowIt()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(context => Answer(context, 200), deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(Settings(engine), environment: "Production");

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var start = $"The TLS handshake with the registry '{registry.Host}' failed";
        Assert.StartsWith(start, problem.Detail, StringComparison.Ordinal);
        var hint = "TaskQueue__SyftService__Registry__InsecureRegistries";
        Assert.Contains(hint, problem.Detail, StringComparison.Ordinal);
        Assert.False(engine.HasRun);
    }

    [Fact]
    public async Task Scan_RegistryNotInTheAllowedList_Is403WithoutAnyRequest()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(context => Answer(context, 200), deadline.Token);
        using var engine = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        var settings = Settings(engine);
        settings[R + "AllowedRegistries:0"] = "ghcr.io";
        await using var service = ServiceUnderTest.Start(settings);

        using var response = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var problem = await Problem.ReadAsync(response, deadline.Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("limited to: ghcr.io", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(registry.Requests);
    }

    private static Task Answer(HttpContext context, int status, params (string Name, string Value)[] headers) =>
        Answer(context, status, null, headers);

    private static async Task Answer(
        HttpContext context,
        int status,
        string? body,
        params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        if (body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }

    private static Dictionary<string, string?> Settings(StandInEngine engine) => new()
    {
        [S + "Engine"] = "Syft",
        [S + "SyftPath"] = engine.ExecutablePath,
    };
}

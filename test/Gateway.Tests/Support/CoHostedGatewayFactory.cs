using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.TaskServices;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// The real gateway co-hosting the real silo (<c>TaskQueue:Gateway:HostSilo</c>): the real grains, the real
/// embedded store (a SQLite file) and the real local result store in a temporary folder, dispatching over real
/// HTTP to a scripted task service on loopback that stands in for SyftService. The image name picks the
/// service's answer: <c>hold/...</c> is held for minutes (until cancelled), <c>refuse/...</c> is refused with
/// 422, anything else succeeds at once with a small CycloneDX document.
/// </summary>
public sealed class CoHostedGatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ResultMediaType = "application/vnd.cyclonedx+json";

    /// <summary>The one user configured as an operator (<c>TaskQueue:Gateway:OperatorUsers</c>).</summary>
    public const string OperatorUserId = "ops@example.org";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"taskqueue-gateway-{Guid.NewGuid():N}");

    public ScriptedTaskService Service { get; private set; } = null!;

    public string ResultsFolder => Path.Combine(_folder, "results");

    /// <summary>The result the service answers for <paramref name="image"/>.</summary>
    public static string ResultFor(string image) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["bomFormat"] = "CycloneDX",
        ["specVersion"] = "1.6",
        ["metadata"] = new Dictionary<string, string> { ["component"] = image },
        ["components"] = Array.Empty<object>(),
    });

    public async ValueTask InitializeAsync()
    {
        Service = await ScriptedTaskService.StartAsync(TestContext.Current.CancellationToken);
        Service.Script(call =>
        {
            using var body = JsonDocument.Parse(call.Body);
            var image = body.RootElement.GetProperty("docker_image_id").GetString() ?? "";
            return image switch
            {
                _ when image.StartsWith("hold/", StringComparison.Ordinal) =>
                    ServiceReply.Ok(ResultFor(image), ResultMediaType) with { Delay = TimeSpan.FromMinutes(10) },
                _ when image.StartsWith("refuse/", StringComparison.Ordinal) =>
                    ServiceReply.Problem(422, $"{image} cannot be scanned."),
                _ => ServiceReply.Ok(ResultFor(image), ResultMediaType),
            };
        });

        // Starts the host now, so that a silo that cannot start fails the fixture with its reason.
        _ = Server;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string>
        {
            ["TaskQueue:Gateway:HostSilo"] = "true",
            ["TaskQueue:Gateway:OperatorUsers:0"] = OperatorUserId,
            ["TaskQueue:Cluster:SiloPort"] = Port(),
            ["TaskQueue:Cluster:GatewayPort"] = Port(),
            ["TaskQueue:Storage:Embedded:DatabasePath"] = Path.Combine(_folder, "tasks.db"),
            ["TaskQueue:Results:LocalFolder:Path"] = ResultsFolder,
            ["TaskQueue:TaskTypes:syft:Endpoint"] = Service.Endpoint.ToString(),
            ["TaskQueue:TaskTypes:syft:MaxAttempts"] = "2",
            ["TaskQueue:TaskTypes:syft:InitialBackoff"] = "00:00:00.200",
            ["TaskQueue:TaskTypes:syft:MaxConcurrentAttempts"] = "16",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);
}

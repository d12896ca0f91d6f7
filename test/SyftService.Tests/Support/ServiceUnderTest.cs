using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>
/// The service in memory (WebApplicationFactory) with settings of the test's own and a work folder of its own,
/// so that a test can check nothing is left in it.
/// </summary>
internal sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string Section = "TaskQueue:SyftService:";
    public const string RegistrySection = "TaskQueue:SyftService:Registry:";

    private readonly WebApplicationFactory<Program> _factory;

    private ServiceUnderTest(WebApplicationFactory<Program> factory, string workFolder)
    {
        _factory = factory;
        WorkFolder = workFolder;
        Client = factory.CreateClient();
    }

    public string WorkFolder { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the service; <paramref name="settings"/> keys are full configuration paths.</summary>
    public static ServiceUnderTest Start(
        IReadOnlyDictionary<string, string?> settings,
        string environment = "Development",
        Action<string>? prepareWorkFolder = null,
        CapturingLoggerProvider? logs = null)
    {
        var workFolder = Directory.CreateTempSubdirectory("taskqueue-syft-work-").FullName;
        prepareWorkFolder?.Invoke(workFolder);
        var all = new Dictionary<string, string?>(settings) { [Section + "WorkFolder"] = workFolder };
        var factory = CreateFactory(all, environment);
        if (logs is not null)
        {
            factory = factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
            {
                // A rule for this provider alone outranks the Information default of appsettings.json.
                logging.AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Debug);
                logging.AddProvider(logs);
            }));
        }

        try
        {
            return new ServiceUnderTest(factory, workFolder);
        }
        catch
        {
            factory.Dispose();
            Directory.Delete(workFolder, recursive: true);
            throw;
        }
    }

    /// <summary>A factory that has not started the service yet, for tests of start-up validation.</summary>
    public static WebApplicationFactory<Program> CreateFactory(
        IReadOnlyDictionary<string, string?> settings,
        string environment) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        });

    public Task<HttpResponseMessage> ScanAsync(string image, CancellationToken cancellationToken) =>
        Client.PostAsJsonAsync("/", new Dictionary<string, string> { ["docker_image_id"] = image }, cancellationToken);

    public Task<HttpResponseMessage> ScanAsync(string image, string format, CancellationToken cancellationToken) =>
        Client.PostAsJsonAsync(
            "/",
            new Dictionary<string, string> { ["docker_image_id"] = image, ["format"] = format },
            cancellationToken);

    /// <summary>What is left in the work folder: nothing, once every scan has answered.</summary>
    public IReadOnlyList<string> Leftovers() => Directory.EnumerateFileSystemEntries(WorkFolder).ToList();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        Directory.Delete(WorkFolder, recursive: true);
    }
}

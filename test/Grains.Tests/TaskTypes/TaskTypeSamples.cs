using Microsoft.Extensions.Configuration;
using TaskQueue.Grains.TaskTypes;
using TaskQueue.TestSupport;

namespace TaskQueue.Grains.Tests.TaskTypes;

/// <summary>
/// The <c>syft</c> task type exactly as the silo's settings file configures it (so that these tests check what
/// ships), with the endpoint moved where a test wants it.
/// </summary>
internal static class TaskTypeSamples
{
    public static TaskTypesOptions Options(Uri? endpoint = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "src", "Silo", "appsettings.json"), optional: false)
            .Build();
        var options = new TaskTypesOptions();
        configuration.GetSection(TaskTypesOptions.SectionName).Bind(options);
        options.TaskTypes["syft"].Endpoint = endpoint ?? new Uri("http://127.0.0.1:9/");
        return options;
    }
}

using TaskQueue.Silo.Hosting;

namespace TaskQueue.Gateway;

/// <summary>The gateway process: <c>dotnet run --project src/Gateway</c>.</summary>
/// <remarks>
/// A named class rather than top-level statements: the silo project, which this one references, has a
/// top-level <c>Program</c> of its own, and two global <c>Program</c> types would make
/// <c>WebApplicationFactory&lt;Program&gt;</c> ambiguous in the tests.
/// </remarks>
public sealed class Program
{
    private Program()
    {
    }

    public static Task<int> Main(string[] args) =>
        ConfigurationErrors.RunAsync("TaskQueue.Gateway", () =>
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.AddTaskQueueGateway();

            var app = builder.Build();
            app.MapTaskQueueGateway();
            return app;
        });
}

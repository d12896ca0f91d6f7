using TaskQueue.SyftService;

return await ConfigurationErrors.RunAsync(() =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Services.AddSyftService();

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapSyftService();
    return app;
});

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

using TaskQueue.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (args.Length > 0 && args[0] == SchemaCommand.Verb)
{
    using var loggers = LoggerFactory.Create(logging => logging.AddConsole());
    return await ConfigurationErrors.ExitOnErrorAsync(
        "TaskQueue.Silo migrate",
        () => SchemaCommand.RunAsync(builder.Configuration, loggers, CancellationToken.None));
}

return await ConfigurationErrors.RunAsync("TaskQueue.Silo", () =>
{
    builder.AddTaskQueueSilo();
    var app = builder.Build();
    app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
    return app;
});

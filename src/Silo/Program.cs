using TaskQueue.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTaskQueueSilo();

var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Run();

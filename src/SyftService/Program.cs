using TaskQueue.SyftService;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSyftService();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapSyftService();
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

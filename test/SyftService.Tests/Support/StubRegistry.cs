using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>
/// A scripted HTTP server on 127.0.0.1 that answers the manifest check the way a registry in trouble would:
/// rate limits, 5xx, odd challenges, silence. The real registry in the other tests cannot be made to answer like
/// that on demand, so this one stands for Docker Hub or GHCR on a bad day.
/// </summary>
internal sealed class StubRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubRegistry(WebApplication app, string host)
    {
        _app = app;
        Host = host;
    }

    /// <summary><c>127.0.0.1:PORT</c>, as an image reference names it.</summary>
    public string Host { get; }

    /// <summary>Every request: method, path and query, and the Authorization header if any.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<StubRegistry> StartAsync(
        Func<HttpContext, Task> handler,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StubRegistry? stub = null;
        app.Run(async context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            stub!.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} "
                + $"auth={(authorization.Length == 0 ? "-" : authorization)}");
            await handler(context);
        });
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.First());
        stub = new StubRegistry(app, $"127.0.0.1:{address.Port}");
        return stub;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// A task type's HTTP service on a loopback port, standing in for SyftService so that gateway tests can drive
/// tasks to every end without a registry and an SBOM engine (the end-to-end tests use the real one). It speaks
/// the real contract: a POST of the parameters as a JSON object, the result as the 2xx body with its media type.
/// The image name chooses the behaviour: <c>hold/...</c> waits until <see cref="Release"/>, <c>refuse/...</c>
/// answers 422, anything else succeeds at once with a small CycloneDX-like document.
/// </summary>
public sealed class StandInTaskService : IAsyncDisposable
{
    public const string ResultMediaType = "application/vnd.cyclonedx+json";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private int _calls;

    private StandInTaskService(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>How many calls arrived, to see that refused submissions never reached a service.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<StandInTaskService> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var service = new StandInTaskService(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/", service.HandleAsync);
        await app.StartAsync(cancellationToken);
        return service;
    }

    /// <summary>Lets every held attempt for <paramref name="image"/> answer.</summary>
    public void Release(string image) => Held(image).TrySetResult();

    /// <summary>The result the service answers for <paramref name="image"/>.</summary>
    public static byte[] ResultFor(string image) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["metadata"] = new Dictionary<string, string> { ["component"] = image },
            ["components"] = Array.Empty<object>(),
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var held in _held.Values)
        {
            held.TrySetCanceled();
        }

        await _app.DisposeAsync();
    }

    private TaskCompletionSource Held(string image) =>
        _held.GetOrAdd(image, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        var parameters = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(
            context.Request.Body,
            cancellationToken: context.RequestAborted) ?? [];
        var image = parameters.GetValueOrDefault("docker_image_id") ?? "";

        if (image.StartsWith("hold/", StringComparison.Ordinal))
        {
            await Held(image).Task.WaitAsync(context.RequestAborted);
        }

        if (image.StartsWith("refuse/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = (int)HttpStatusCode.UnprocessableEntity;
            await context.Response.WriteAsJsonAsync(
                new { title = "The image cannot be scanned.", detail = $"{image} is refused by the stand-in." },
                options: null,
                contentType: "application/problem+json",
                cancellationToken: context.RequestAborted);
            return;
        }

        context.Response.ContentType = ResultMediaType;
        await context.Response.Body.WriteAsync(ResultFor(image), context.RequestAborted);
    }
}

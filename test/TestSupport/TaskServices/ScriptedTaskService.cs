using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.TestSupport.TaskServices;

/// <summary>
/// A real HTTP task service on loopback whose answers a test scripts: it stands for any task type's service
/// (SyftService and those to come), so the queue's dispatch is tested over real HTTP. It counts every call
/// and the most calls it held at once.
/// </summary>
public sealed class ScriptedTaskService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ServiceCall> _calls = new();
    private readonly ConcurrentDictionary<int, DateTimeOffset> _finishedAt = new();
    private Func<ServiceCall, ServiceReply> _script = _ => ServiceReply.Ok("{}");
    private int _callCount;
    private int _inFlight;
    private int _maxInFlight;

    private ScriptedTaskService(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>Where the queue should POST attempts.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<ServiceCall> Calls => _calls.ToArray();

    /// <summary>The most calls the service held at the same time.</summary>
    public int MaxConcurrentCalls => Volatile.Read(ref _maxInFlight);

    public static async Task<ScriptedTaskService> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new ScriptedTaskService(app, new Uri($"http://127.0.0.1:{port}/run"));
        app.MapPost("/run", service.HandleAsync);
        await app.StartAsync(cancellationToken);
        return service;
    }

    /// <summary>Answers every call from now on with what <paramref name="script"/> says.</summary>
    public void Script(Func<ServiceCall, ServiceReply> script) => _script = script;

    /// <summary>Calls that carried this task id.</summary>
    public IReadOnlyList<ServiceCall> CallsFor(Guid taskId) =>
        Calls.Where(c => c.TaskId == taskId.ToString()).ToArray();

    /// <summary>The most calls for these tasks that the service held at the same time.</summary>
    public int MaxConcurrentCallsFor(IEnumerable<Guid> taskIds)
    {
        var ids = taskIds.Select(id => id.ToString()).ToHashSet(StringComparer.Ordinal);
        var edges = Calls
            .Where(c => c.TaskId is not null && ids.Contains(c.TaskId))
            .SelectMany(c => new[]
            {
                (At: c.ReceivedAt, Change: 1),
                (At: _finishedAt.TryGetValue(c.Number, out var end) ? end : DateTimeOffset.MaxValue, Change: -1),
            })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Change);
        int current = 0, most = 0;
        foreach (var edge in edges)
        {
            current += edge.Change;
            most = Math.Max(most, current);
        }

        return most;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        UpdateMax(inFlight);
        var number = 0;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            number = Interlocked.Increment(ref _callCount);
            var call = new ServiceCall(
                number,
                context.Request.Headers["X-TaskQueue-Task-Id"].FirstOrDefault(),
                int.TryParse(context.Request.Headers["X-TaskQueue-Attempt"].FirstOrDefault(), out var attempt) ? attempt : null,
                body,
                DateTimeOffset.UtcNow);
            _calls.Enqueue(call);

            var reply = _script(call);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            if (reply.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The queue gave up on the call (deadline or cancellation): nothing to answer.
        }
        finally
        {
            _finishedAt[number] = DateTimeOffset.UtcNow;
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void UpdateMax(int inFlight)
    {
        int seen;
        while (inFlight > (seen = Volatile.Read(ref _maxInFlight)))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen);
        }
    }
}

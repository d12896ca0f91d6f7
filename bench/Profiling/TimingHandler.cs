using System.Diagnostics;

namespace TaskQueue.Bench.Profiling;

/// <summary>Times the dispatch request to the task endpoint up to its response headers (the body is the result write's).</summary>
internal sealed class TimingHandler(StageTimes times) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            times.Record("dispatch_http", started);
        }
    }
}

using System.Diagnostics;

namespace TaskQueue.SyftService.Api;

/// <summary>
/// Names the trace id of every problem document <c>trace_id</c>, as the gateway does: the framework writes
/// <c>traceId</c>, but the task queue's HTTP APIs are snake_case everywhere.
/// </summary>
internal static class ProblemTraceId
{
    private const string FrameworkKey = "traceId";
    private const string Key = "trace_id";

    public static void Apply(ProblemDetailsContext context)
    {
        var extensions = context.ProblemDetails.Extensions;
        extensions.Remove(FrameworkKey);
        extensions[Key] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    }
}

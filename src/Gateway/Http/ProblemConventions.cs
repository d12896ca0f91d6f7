using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace TaskQueue.Gateway.Http;

/// <summary>
/// Fills in what a problem written by the framework (unknown route, wrong method, unreadable request) leaves
/// out, so that every problem the gateway sends has the same members.
/// </summary>
internal static class ProblemConventions
{
    private const string FrameworkTraceIdKey = "traceId";
    private const string TraceIdKey = "trace_id";

    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var httpContext = context.HttpContext;
        var status = problem.Status ?? httpContext.Response.StatusCode;

        problem.Status = status;
        problem.Type ??= ProblemTypes.For(status);
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Detail ??= DefaultDetail(status, httpContext.Request);

        // The framework names it in camelCase; the API is snake_case everywhere.
        problem.Extensions.Remove(FrameworkTraceIdKey);
        problem.Extensions[TraceIdKey] = TraceIdOf(httpContext);
    }

    /// <summary>The id a problem's <c>trace_id</c> carries, and the gateway's logs of the same failure.</summary>
    public static string TraceIdOf(HttpContext httpContext) => Activity.Current?.Id ?? httpContext.TraceIdentifier;

    private static string DefaultDetail(int status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => "Nothing is found at this address; the API is described at /docs.",
        StatusCodes.Status405MethodNotAllowed =>
            $"{Sanitize(request.Method)} is not allowed at this address; the API is described at /docs.",
        StatusCodes.Status500InternalServerError =>
            "The gateway failed to handle the request. The failure is logged with this problem's trace_id.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    // The method is the caller's text: keep the echo short and printable.
    private static string Sanitize(string method) =>
        method.Length <= 16 && method.All(char.IsAsciiLetterUpper) ? method : "This method";
}

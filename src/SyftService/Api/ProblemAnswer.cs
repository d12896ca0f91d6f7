using System.Globalization;

namespace TaskQueue.SyftService.Api;

/// <summary>
/// A problem details answer (<c>application/problem+json</c>) with a <c>Retry-After</c> header when the outcome
/// may pass. The task queue shows <c>detail</c> as the task's failure message, so it is always a full sentence.
/// </summary>
internal sealed class ProblemAnswer(
    int status,
    string title,
    string detail,
    TimeSpan? retryAfter = null,
    string? field = null) : IResult
{
    public int Status => status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (retryAfter is { } delay)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(delay.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var extensions = field is null
            ? null
            : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } };
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions)
            .ExecuteAsync(httpContext);
    }
}

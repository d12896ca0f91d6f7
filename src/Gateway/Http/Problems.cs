using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TaskQueue.Gateway.Http;

/// <summary>
/// Every error the gateway answers, as problem details (RFC 9457): <c>type</c>, <c>title</c>, <c>status</c>,
/// <c>detail</c>, and <c>errors</c> keyed by the field's path for validation failures.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = ProblemTypes.For(status),
            Title = title,
            Detail = detail,
        });

    /// <summary>A 400 whose <c>errors</c> name each field at fault by its path in the request.</summary>
    public static ProblemHttpResult Validation(string detail, IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.For(StatusCodes.Status400BadRequest),
            Title = "The request is invalid.",
            Detail = detail,
        });

    /// <summary>A 400 naming one field at fault.</summary>
    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(message, new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        Create(StatusCodes.Status400BadRequest, title, detail);

    /// <summary>The one answer for a task that does not exist, belongs to someone else or has a malformed id.</summary>
    public static ProblemHttpResult TaskNotFound() =>
        Create(
            StatusCodes.Status404NotFound,
            "The task was not found.",
            "You have no task with this id.");

    /// <summary>
    /// The cluster could not be reached or did not answer in time: a 503 with <c>Retry-After</c>, so that
    /// clients and load balancers back off instead of hammering a recovering cluster.
    /// </summary>
    public static IResult Unavailable(string detail, TimeSpan retryAfter) =>
        new WithRetryAfter(
            Create(StatusCodes.Status503ServiceUnavailable, "The task cluster is unavailable.", detail),
            retryAfter);

    /// <summary>A <c>Retry-After</c> value: whole seconds, rounded up.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private sealed class WithRetryAfter(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
            return inner.ExecuteAsync(httpContext);
        }
    }
}

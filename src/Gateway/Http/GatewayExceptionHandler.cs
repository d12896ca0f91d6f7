using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Diagnostics;
using TaskQueue.Gateway.Hosting;

namespace TaskQueue.Gateway.Http;

/// <summary>
/// The last line: turns what escaped an endpoint into a problem without internals. Cluster outages are 503 with
/// <c>Retry-After</c> (Warning); anything else is a bug, 500 (Error).
/// </summary>
internal sealed class GatewayExceptionHandler(
    IProblemDetailsService problemDetails,
    IOptions<GatewayOptions> options,
    ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        var route = RouteOf(httpContext);

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.RequestAborted(logger, request.Method, route);
            return true;
        }

        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            // The server refused what it read (a body over its limit, a malformed chunk): the caller's fault.
            httpContext.Response.StatusCode = badRequest.StatusCode;
            problem = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read.",
                Detail = badRequest.Message,
            };
        }
        else if (ClusterFailures.IsUnavailable(exception))
        {
            var userId = CallerIdentity.TryUserIdOf(httpContext);
            GatewayLog.ClusterUnavailable(
                logger, exception, request.Method, route, userId, ProblemConventions.TraceIdOf(httpContext));
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = Problems.RetryAfterSeconds(options.Value.UnavailableRetryAfter);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The task cluster is unavailable.",
                Detail = "The task cluster did not answer in time. Try again later: reading and cancelling are "
                    + "safe to repeat.",
            };
        }
        else
        {
            var userId = CallerIdentity.TryUserIdOf(httpContext);
            GatewayLog.RequestFailed(
                logger, exception, request.Method, route, userId, ProblemConventions.TraceIdOf(httpContext));
            httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The gateway failed.",
            };
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    // The route template, not the path: paths carry ids and whatever a caller typed. The exception handler clears
    // the request's endpoint before it runs; the feature keeps the one that failed.
    internal static string RouteOf(HttpContext context) =>
        ((context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint()) as RouteEndpoint)
            ?.RoutePattern.RawText ?? "(no route)";
}

using Microsoft.Extensions.Options;
using TaskQueue.SyftService.Diagnostics;
using TaskQueue.SyftService.Scanning;

namespace TaskQueue.SyftService.Api;

/// <summary>The HTTP surface: <c>POST /</c> makes an SBOM.</summary>
internal static class ScanEndpoints
{
    public static IEndpointRouteBuilder MapScanEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/", ScanAsync);
        return endpoints;
    }

    private static async Task<IResult> ScanAsync(
        HttpContext context,
        ScanService scans,
        IOptionsMonitor<SyftServiceOptions> options,
        ILogger<ScanService> logger)
    {
        // The queue names the task and attempt it calls for; logged as a scope so that a scan's lines can be
        // found from the task. Only short printable values are kept: the headers come from outside.
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["TaskId"] = HeaderValue(context, "X-TaskQueue-Task-Id"),
            ["Attempt"] = HeaderValue(context, "X-TaskQueue-Attempt"),
        });
        var aborted = context.RequestAborted;
        var (request, problem) = await ScanRequestReader.ReadAsync(
            context.Request,
            options.CurrentValue.MaxRequestBodyBytes,
            aborted);
        if (problem is not null)
        {
            logger.RequestRejected(problem.Detail);
            var title = problem.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                _ => "Invalid request",
            };
            return new ProblemAnswer(problem.Status, title, problem.Detail, field: problem.Field);
        }

        var result = await scans.ScanAsync(request!, aborted);
        if (result.Outcome == ScanOutcome.Succeeded)
        {
            return TypedResults.Stream(result.Sbom!, result.MediaType);
        }

        var (status, problemTitle) = StatusOf(result.Outcome);
        var field = result.Outcome == ScanOutcome.InvalidRequest ? ScanRequestReader.ImageField : null;
        return new ProblemAnswer(status, problemTitle, result.Detail, result.RetryAfter, field);
    }

    private static string HeaderValue(HttpContext context, string name)
    {
        var value = context.Request.Headers[name].ToString();
        return value.Length is > 0 and <= 64 && value.All(c => c is > ' ' and <= '~') ? value : "-";
    }

    /// <summary>The HTTP status and title of each outcome other than success.</summary>
    internal static (int Status, string Title) StatusOf(ScanOutcome outcome) => outcome switch
    {
        ScanOutcome.InvalidRequest => (StatusCodes.Status400BadRequest, "Invalid request"),
        ScanOutcome.RegistryNotAllowed => (StatusCodes.Status403Forbidden, "Registry not allowed"),
        ScanOutcome.NotFound => (StatusCodes.Status404NotFound, "Image not found"),
        ScanOutcome.RegistryHostNotFound => (StatusCodes.Status422UnprocessableEntity, "Registry host not found"),
        ScanOutcome.RateLimited => (StatusCodes.Status429TooManyRequests, "Registry rate limit"),
        ScanOutcome.RegistryUnavailable => (StatusCodes.Status503ServiceUnavailable, "Registry unavailable"),
        ScanOutcome.RegistryBadGateway => (StatusCodes.Status502BadGateway, "Unexpected registry answer"),
        ScanOutcome.Busy => (StatusCodes.Status503ServiceUnavailable, "Service busy"),
        ScanOutcome.TimedOut => (StatusCodes.Status504GatewayTimeout, "Scan timed out"),
        ScanOutcome.Aborted => (StatusCodes.Status499ClientClosedRequest, "Request abandoned"),
        _ => (StatusCodes.Status500InternalServerError, "Scan failed"),
    };
}

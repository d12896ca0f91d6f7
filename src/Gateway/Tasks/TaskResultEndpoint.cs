using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TaskQueue.Gateway.Diagnostics;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Results;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Gateway.Tasks;

/// <summary>
/// <c>GET /tasks/{id}/result</c>: streams a succeeded task's result from the result store, with its media type,
/// length and SHA-256 as a strong ETag. <c>HEAD</c> answers the same headers without reading the result.
/// </summary>
internal sealed class TaskResultEndpoint
{
    private const string FallbackMediaType = "application/octet-stream";

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        ClusterAccess cluster,
        IResultStore store,
        ILogger<TaskResultEndpoint> logger,
        string id)
    {
        var userId = CallerIdentity.UserIdOf(context);
        if (!TaskRoutes.TryParseId(id, out var taskId))
        {
            return Problems.TaskNotFound();
        }

        var task = await cluster.Grains.GetGrain<ITaskGrain>(taskId).GetAsync(userId);
        if (task is null)
        {
            return Problems.TaskNotFound();
        }

        if (task.Status != TaskState.Succeeded)
        {
            return Problems.Create(
                StatusCodes.Status409Conflict,
                "The task has no result.",
                task.Status.IsFinal()
                    ? $"The task is {TaskStateNames.ToName(task.Status)}; only a succeeded task has a result."
                    : $"The task is {TaskStateNames.ToName(task.Status)}; its result is there once it succeeds.");
        }

        if (task.Result is not { } info)
        {
            GatewayLog.ResultInfoMissing(logger, taskId, userId);
            return ResultLost();
        }

        var etag = new EntityTagHeaderValue($"\"{info.Sha256}\"");
        if (IsNotModified(context.Request, etag))
        {
            context.Response.Headers.ETag = etag.ToString();
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var content = await store.OpenAsync(taskId, context.RequestAborted);
        if (content is null)
        {
            GatewayLog.ResultMissing(logger, taskId, userId);
            return ResultLost();
        }

        return new ResultStreamResult(content, taskId, etag, MediaTypeOf(content.MediaType, taskId, logger));
    }

    private static bool IsNotModified(HttpRequest request, EntityTagHeaderValue etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));

    private static string MediaTypeOf(string stored, Guid taskId, ILogger logger)
    {
        if (MediaTypeHeaderValue.TryParse(stored, out var parsed)
            && !parsed.MatchesAllTypes
            && !parsed.MatchesAllSubTypes)
        {
            return parsed.ToString();
        }

        GatewayLog.ResultMediaTypeInvalid(logger, taskId, stored);
        return FallbackMediaType;
    }

    private static ProblemHttpResult ResultLost() =>
        Problems.Create(
            StatusCodes.Status500InternalServerError,
            "The task's result is missing.",
            "The task succeeded but its result cannot be found in the result store. The operators have been told.");

    /// <summary>Streams the stored result and disposes it when done, also when the client goes away.</summary>
    private sealed class ResultStreamResult(
        ResultContent content,
        Guid taskId,
        EntityTagHeaderValue etag,
        string mediaType) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await using (content)
            {
                var response = httpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = mediaType;
                response.ContentLength = content.SizeBytes;
                response.Headers.ETag = etag.ToString();
                response.Headers.CacheControl = "private, no-cache";

                // Results are the services' output, not ours: never let a browser guess them into HTML.
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
                {
                    FileName = $"\"{taskId:D}{ExtensionOf(mediaType)}\"",
                }.ToString();

                if (!HttpMethods.IsHead(httpContext.Request.Method))
                {
                    await content.Content.CopyToAsync(response.Body, httpContext.RequestAborted);
                }
            }
        }

        private static string ExtensionOf(string mediaType)
        {
            var type = mediaType.Split(';', 2)[0].Trim();
            if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            {
                return ".json";
            }

            if (type.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
                || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase))
            {
                return ".xml";
            }

            return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ? ".txt" : ".bin";
        }
    }
}

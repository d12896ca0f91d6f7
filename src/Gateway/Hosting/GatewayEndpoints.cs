using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Health;
using TaskQueue.Gateway.Http;
using TaskQueue.Gateway.OpenApi;
using TaskQueue.Gateway.Operators;
using TaskQueue.Gateway.Tasks;
using TaskQueue.Gateway.TaskTypes;

namespace TaskQueue.Gateway.Hosting;

/// <summary>The gateway's routes.</summary>
internal static class GatewayEndpoints
{
    private const string ProblemJson = "application/problem+json";

    private const string SubmitExample =
        """{"task_request": {"task_type": "syft", "params": {"docker_image_id": "ubuntu:24.04"}}}""";

    /// <summary>The SBOM formats of the syft task type, then anything another task type's service answers.</summary>
    private static readonly string[] ResultMediaTypes =
        ["application/vnd.cyclonedx+json", "application/spdx+json", "application/octet-stream"];

    public static void MapGatewayEndpoints(this WebApplication app)
    {
        var tasks = RequireCaller(app.MapGroup("/tasks")).WithTags("Tasks");

        tasks.MapPost("", SubmitTaskEndpoint.HandleAsync)
            .WithName("SubmitTask")
            .WithSummary("Submit a task")
            .WithDescription("Stores the task and starts it. 202 with the task and its Location; 200 with the "
                + "existing task when the same request is repeated with the same Idempotency-Key.")
            .WithMetadata(
                new IdempotencyKeyMetadata(),
                new RequestBodyMetadata(typeof(SubmitTaskRequest), SubmitExample))
            .Produces<TaskResponse>(StatusCodes.Status202Accepted)
            .Produces<TaskResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem(contentType: ProblemJson)
            .ProducesProblem(StatusCodes.Status409Conflict, ProblemJson)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge, ProblemJson)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType, ProblemJson);

        tasks.MapGet("", ListTasksEndpoint.HandleAsync)
            .WithName("ListTasks")
            .WithSummary("List your tasks, newest first")
            .WithDescription("status: queued, running, retrying, succeeded, failed or cancelled. limit: 1-100, "
                + "default 20. cursor: the next_cursor of the previous page.")
            .WithMetadata(new TaskListQueryMetadata())
            .Produces<TaskListResponse>()
            .ProducesValidationProblem(contentType: ProblemJson);

        tasks.MapGet("/{id}", GetTaskEndpoint.HandleAsync)
            .WithName("GetTask")
            .WithSummary("Read one of your tasks")
            .Produces<TaskResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound, ProblemJson);

        tasks.MapPost("/{id}/cancel", CancelTaskEndpoint.HandleAsync)
            .WithName("CancelTask")
            .WithSummary("Cancel one of your unfinished tasks")
            .Produces<TaskResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound, ProblemJson)
            .ProducesProblem(StatusCodes.Status409Conflict, ProblemJson);

        tasks.MapGet("/{id}/result", TaskResultEndpoint.HandleAsync)
            .WithName("GetTaskResult")
            .WithSummary("Download a succeeded task's result")
            .WithDescription("Streams the result with its media type; the ETag is its SHA-256. 409 while the task "
                + "has no result.")
            .WithMetadata(new ResultContentMetadata(ResultMediaTypes))
            .ProducesProblem(StatusCodes.Status404NotFound, ProblemJson)
            .ProducesProblem(StatusCodes.Status409Conflict, ProblemJson);

        // What a client asks before a large download (size, media type, ETag), answered exactly as GET is.
        tasks.MapMethods("/{id}/result", [HttpMethods.Head], TaskResultEndpoint.HandleAsync)
            .WithName("GetTaskResultHeaders")
            .WithSummary("Read a succeeded task's result headers without its body")
            .WithDescription("The headers GET /tasks/{id}/result would send (Content-Type, Content-Length, ETag), "
                + "and no body.")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

        RequireCaller(app.MapGroup("/task-types")).WithTags("Task types")
            .MapGet("", TaskTypesEndpoint.HandleAsync)
            .WithName("ListTaskTypes")
            .WithSummary("List the task types you can submit")
            .Produces<List<TaskTypeResponse>>();

        app.MapOperatorEndpoints();

        var health = app.MapGroup("").WithTags("Health");
        health.MapGet("/healthz", HealthEndpoints.Live)
            .WithSummary("Liveness: the process answers")
            .Produces<HealthResponse>();
        health.MapGet("/readyz", HealthEndpoints.ReadyAsync)
            .WithSummary("Readiness: the task cluster answers")
            .Produces<HealthResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ProblemJson);
    }

    /// <summary>Puts the group behind the caller identity filter, with the answers that filter can give.</summary>
    internal static RouteGroupBuilder RequireCaller(RouteGroupBuilder group)
    {
        group.AddEndpointFilter<CallerIdentity>()
            .WithMetadata(new CallerIdentityMetadata())
            .ProducesProblem(StatusCodes.Status400BadRequest, ProblemJson)
            .ProducesProblem(StatusCodes.Status401Unauthorized, ProblemJson)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ProblemJson);
        return group;
    }
}

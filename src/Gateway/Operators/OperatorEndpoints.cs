using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Hosting;

namespace TaskQueue.Gateway.Operators;

/// <summary>The operators' routes, under <c>/operator</c>: the caller's identity first, then operator access.</summary>
internal static class OperatorEndpoints
{
    private const string ProblemJson = "application/problem+json";

    public static void MapOperatorEndpoints(this WebApplication app)
    {
        var operators = GatewayEndpoints.RequireCaller(app.MapGroup("/operator"))
            .AddEndpointFilter<OperatorAccess>()
            .WithTags("Operators")
            .ProducesProblem(StatusCodes.Status403Forbidden, ProblemJson);

        operators.MapGet("/tasks", ListOperatorTasksEndpoint.HandleAsync)
            .WithName("ListAllTasks")
            .WithSummary("List every user's tasks, newest first (operators only)")
            .WithDescription("For the users named in TaskQueue:Gateway:OperatorUsers; anyone else gets 403. "
                + "Each task names its user_id. status: queued, running, retrying, succeeded, failed or cancelled. "
                + "limit: 1-100, default 20. cursor: the next_cursor of the previous page.")
            .Produces<OperatorTaskListResponse>()
            .ProducesValidationProblem(contentType: ProblemJson);
    }
}

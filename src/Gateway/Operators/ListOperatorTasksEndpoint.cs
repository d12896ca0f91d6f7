using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Tasks;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Operators;

/// <summary>
/// <c>GET /operator/tasks</c>: one page of every user's tasks, newest first, each naming its user. Behind
/// <see cref="OperatorAccess"/>.
/// </summary>
internal static class ListOperatorTasksEndpoint
{
    // The parameters are declared for the API description only; TaskListQueryParser reads the raw query exactly as
    // for GET /tasks, so that repeated and unknown parameters are refused the same way.
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        ClusterAccess cluster,
        string? status = null,
        string? limit = null,
        string? cursor = null)
    {
        _ = (status, limit, cursor);
        if (!TaskListQueryParser.TryParse(context.Request.Query, out var query, out var problem))
        {
            return problem!;
        }

        var page = await cluster.Grains.GetGrain<IOperatorTasksGrain>(0).ListAsync(query);
        return TypedResults.Ok(new OperatorTaskListResponse
        {
            Items = [.. page.Items.Select(OperatorTaskSummaryResponse.From)],
            NextCursor = page.NextCursor?.ToString(),
        });
    }
}

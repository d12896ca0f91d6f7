using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Tasks;

/// <summary><c>GET /tasks</c>: one page of the caller's tasks, newest first, from the user's index.</summary>
internal static class ListTasksEndpoint
{
    // The parameters are declared for the API description only; TaskListQueryParser reads the raw query so that
    // repeated and unknown parameters are refused.
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        ClusterAccess cluster,
        string? status = null,
        string? limit = null,
        string? cursor = null)
    {
        _ = (status, limit, cursor);
        var userId = CallerIdentity.UserIdOf(context);

        if (!TaskListQueryParser.TryParse(context.Request.Query, out var query, out var problem))
        {
            return problem!;
        }

        var page = await cluster.Grains.GetGrain<IUserTasksGrain>(userId).ListAsync(query);
        return TypedResults.Ok(new TaskListResponse
        {
            Items = [.. page.Items.Select(TaskSummaryResponse.From)],
            NextCursor = page.NextCursor?.ToString(),
        });
    }
}

using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Tasks;

/// <summary><c>GET /tasks/{id}</c>: one of the caller's tasks.</summary>
internal static class GetTaskEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClusterAccess cluster, string id)
    {
        var userId = CallerIdentity.UserIdOf(context);
        if (!TaskRoutes.TryParseId(id, out var taskId))
        {
            return Problems.TaskNotFound();
        }

        var task = await cluster.Grains.GetGrain<ITaskGrain>(taskId).GetAsync(userId);
        return task is null
            ? Problems.TaskNotFound()
            : TypedResults.Ok(TaskResponse.From(task, context.Request.PathBase));
    }
}

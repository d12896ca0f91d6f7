using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.TaskTypes;

/// <summary><c>GET /task-types</c>: what can be submitted, as the cluster is configured.</summary>
internal static class TaskTypesEndpoint
{
    public static async Task<IResult> HandleAsync(ClusterAccess cluster)
    {
        var types = await cluster.Grains.GetGrain<ITaskTypesGrain>(0).GetAllAsync();
        return TypedResults.Ok(types.Select(TaskTypeResponse.From).ToList());
    }
}

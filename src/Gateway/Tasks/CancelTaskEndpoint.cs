using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Gateway.Tasks;

/// <summary><c>POST /tasks/{id}/cancel</c>: cancels one of the caller's unfinished tasks.</summary>
internal static class CancelTaskEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClusterAccess cluster, string id)
    {
        var userId = CallerIdentity.UserIdOf(context);
        if (!TaskRoutes.TryParseId(id, out var taskId))
        {
            return Problems.TaskNotFound();
        }

        var result = await cluster.Grains.GetGrain<ITaskGrain>(taskId).CancelAsync(userId);
        return result switch
        {
            { Outcome: CancelOutcome.Cancelled, Task: { } task } =>
                TypedResults.Ok(TaskResponse.From(task, context.Request.PathBase)),
            { Outcome: CancelOutcome.AlreadyFinished } =>
                Problems.Create(
                    StatusCodes.Status409Conflict,
                    "The task has already finished.",
                    $"The task is {StatusOf(result.Task)}; only a queued, running or retrying task can be cancelled."),
            { Outcome: CancelOutcome.NotFound } => Problems.TaskNotFound(),
            _ => throw new InvalidOperationException(
                $"The task grain answered a cancellation with {result.Outcome}; task present: "
                + $"{result.Task is not null}."),
        };
    }

    private static string StatusOf(TaskView? task) => task is null ? "finished" : TaskStateNames.ToName(task.Status);
}

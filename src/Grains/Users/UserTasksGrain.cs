using Orleans.Concurrency;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Grains.Users;

/// <summary>
/// One user's index of tasks. The index itself lives in the task store, written in the same row as each
/// task's record, so a submission costs one write however many tasks the user has, and a listing reads one
/// index range without activating a single task grain.
/// </summary>
/// <remarks>Reentrant: listings hold no state, so one user's concurrent listings never wait on each other.</remarks>
[Reentrant]
public sealed class UserTasksGrain(ITaskStore store) : Grain, IUserTasksGrain
{
    public Task<TaskPage> ListAsync(TaskListQuery query)
    {
        if (query.Limit is < 1 or > TaskListQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(query), query.Limit, $"The page size must be from 1 to {TaskListQuery.MaxLimit}.");
        }

        return store.ListByUserAsync(this.GetPrimaryKeyString(), query, CancellationToken.None);
    }
}

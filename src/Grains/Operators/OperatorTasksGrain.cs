using Orleans.Concurrency;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Grains.Operators;

/// <summary>
/// Operators' listing of every user's tasks, straight from the task store's index: no task grain is activated, and
/// a page costs the same however many tasks the store holds.
/// </summary>
/// <remarks>
/// A stateless worker: it holds nothing, so each silo answers from a local activation instead of sending every
/// operator's listing to one grain somewhere in the cluster. Reentrant, because a listing spends its time waiting
/// for the store and shares nothing with another.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class OperatorTasksGrain(ITaskStore store) : Grain, IOperatorTasksGrain
{
    public Task<TaskPage> ListAsync(TaskListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > TaskListQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(query), query.Limit, $"The page size must be from 1 to {TaskListQuery.MaxLimit}.");
        }

        return store.ListAllAsync(query, CancellationToken.None);
    }
}

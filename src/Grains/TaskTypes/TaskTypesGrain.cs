using Orleans.Concurrency;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.TaskTypes;

/// <summary>The configured task types; a stateless worker, so every silo answers from its own configuration.</summary>
[StatelessWorker]
public sealed class TaskTypesGrain(TaskTypeRegistry registry) : Grain, ITaskTypesGrain
{
    public Task<IReadOnlyList<TaskTypeInfo>> GetAllAsync() => Task.FromResult(registry.All);
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>The task types the cluster is configured with. Use key 0.</summary>
public interface ITaskTypesGrain : IGrainWithIntegerKey
{
    /// <summary>Every task type that can be submitted, by name.</summary>
    Task<IReadOnlyList<TaskTypeInfo>> GetAllAsync();
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>
/// One user's index of tasks, keyed by the user id. Listing reads the task store's index and activates no
/// task grain.
/// </summary>
public interface IUserTasksGrain : IGrainWithStringKey
{
    /// <summary>One page of the user's tasks, newest first.</summary>
    Task<TaskPage> ListAsync(TaskListQuery query);
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>
/// Operators' view of every user's tasks. Use key 0. Listing reads the task store's index and activates no task
/// grain.
/// </summary>
/// <remarks>
/// The grain does not check who calls it: a .NET service that can reach the cluster can call it. The HTTP gateway
/// lets only the users named in its <c>TaskQueue:Gateway:OperatorUsers</c> setting reach it.
/// </remarks>
public interface IOperatorTasksGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// One page of all users' tasks, newest first (creation time, then id), optionally of one status; each summary
    /// names its user.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The page size is not from 1 to <see cref="TaskListQuery.MaxLimit"/>.
    /// </exception>
    Task<TaskPage> ListAsync(TaskListQuery query);
}

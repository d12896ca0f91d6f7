using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Bench.Profiling;

/// <summary>The silo's own task store, each call timed: task state reads and writes, listings.</summary>
internal sealed class TimedTaskStore(ITaskStore inner, StageTimes times) : ITaskStore
{
    public Task<StoredTask?> ReadAsync(Guid taskId, CancellationToken cancellationToken) =>
        times.TimeAsync("task_state_read", () => inner.ReadAsync(taskId, cancellationToken));

    public Task<string> WriteAsync(TaskRecord record, string? expectedETag, CancellationToken cancellationToken) =>
        times.TimeAsync("task_state_write", () => inner.WriteAsync(record, expectedETag, cancellationToken));

    public Task DeleteAsync(Guid taskId, string expectedETag, CancellationToken cancellationToken) =>
        times.TimeAsync("task_state_delete", () => inner.DeleteAsync(taskId, expectedETag, cancellationToken));

    public Task<TaskPage> ListByUserAsync(string userId, TaskListQuery query, CancellationToken cancellationToken) =>
        times.TimeAsync("listing", () => inner.ListByUserAsync(userId, query, cancellationToken));

    public Task<TaskPage> ListAllAsync(TaskListQuery query, CancellationToken cancellationToken) =>
        times.TimeAsync("operator_listing", () => inner.ListAllAsync(query, cancellationToken));
}

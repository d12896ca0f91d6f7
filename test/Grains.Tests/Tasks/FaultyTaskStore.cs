using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Grains.Tests.Tasks;

/// <summary>The silo's own task store, whose record writes fail where <see cref="StorageFaults"/> says so.</summary>
internal sealed class FaultyTaskStore(ITaskStore inner, StorageFaults faults) : ITaskStore
{
    public Task<StoredTask?> ReadAsync(Guid taskId, CancellationToken cancellationToken) =>
        inner.ReadAsync(taskId, cancellationToken);

    public Task<string> WriteAsync(TaskRecord record, string? expectedETag, CancellationToken cancellationToken)
    {
        faults.ThrowIfArmed(record.Id, "record");
        return inner.WriteAsync(record, expectedETag, cancellationToken);
    }

    public Task DeleteAsync(Guid taskId, string expectedETag, CancellationToken cancellationToken) =>
        inner.DeleteAsync(taskId, expectedETag, cancellationToken);

    public Task<TaskPage> ListByUserAsync(string userId, TaskListQuery query, CancellationToken cancellationToken) =>
        inner.ListByUserAsync(userId, query, cancellationToken);

    public Task<TaskPage> ListAllAsync(TaskListQuery query, CancellationToken cancellationToken) =>
        inner.ListAllAsync(query, cancellationToken);
}

namespace TaskQueue.Grains.Storage;

/// <summary>A write named an etag that is no longer the stored one: another writer got there first.</summary>
public sealed class TaskStoreConflictException : Exception
{
    public TaskStoreConflictException(Guid taskId, string? expectedETag)
        : base($"Task {taskId} was changed by another writer (expected etag '{expectedETag ?? "none"}').")
    {
        TaskId = taskId;
    }

    public TaskStoreConflictException()
    {
    }

    public TaskStoreConflictException(string message)
        : base(message)
    {
    }

    public TaskStoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Guid TaskId { get; }
}

using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.Storage;

/// <summary>
/// Durable task records with optimistic concurrency, and the index that serves listings. One contract for
/// every backend (embedded SQLite, PostgreSQL, MongoDB); the shared contract tests hold each to it.
/// </summary>
/// <remarks>
/// An etag is the store's opaque version of a record. A write names the etag it read (null when it expects
/// no record) and fails with <see cref="TaskStoreConflictException"/> when the stored record moved on.
/// </remarks>
public interface ITaskStore
{
    /// <summary>The record and its etag, or null when no task has this id.</summary>
    Task<StoredTask?> ReadAsync(Guid taskId, CancellationToken cancellationToken);

    /// <summary>Writes the record if its stored etag is still <paramref name="expectedETag"/>; answers the new etag.</summary>
    Task<string> WriteAsync(TaskRecord record, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>Deletes the record if its stored etag is still <paramref name="expectedETag"/>.</summary>
    Task DeleteAsync(Guid taskId, string expectedETag, CancellationToken cancellationToken);

    /// <summary>One page of a user's tasks, newest first (creation time, then id), optionally of one status.</summary>
    Task<TaskPage> ListByUserAsync(string userId, TaskListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// One page of every user's tasks, for operators: the same order, filter and keyset paging as
    /// <see cref="ListByUserAsync"/>, over all users, read from an index (never one task at a time).
    /// </summary>
    Task<TaskPage> ListAllAsync(TaskListQuery query, CancellationToken cancellationToken);
}

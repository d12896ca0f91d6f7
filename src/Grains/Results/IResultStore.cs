namespace TaskQueue.Grains.Results;

/// <summary>
/// Where results live: an S3-compatible object store in a cluster, a local folder on one machine. A result is
/// written by the silo that ran the attempt and read, streamed, by the gateway.
/// </summary>
public interface IResultStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store under the task's id, replacing any earlier result
    /// at once and whole, and answers its size and SHA-256. Throws <see cref="ResultTooLargeException"/> once
    /// more than <paramref name="maxBytes"/> arrive; a put that fails or is cancelled stores nothing of its
    /// content and leaves an earlier result as it was.
    /// </summary>
    Task<StoredResult> PutAsync(
        Guid taskId,
        Stream content,
        string mediaType,
        long maxBytes,
        CancellationToken cancellationToken);

    /// <summary>The stored result for reading, or null when there is none. The caller disposes it.</summary>
    Task<ResultContent?> OpenAsync(Guid taskId, CancellationToken cancellationToken);

    /// <summary>Removes the task's result; nothing happens when there is none.</summary>
    Task DeleteAsync(Guid taskId, CancellationToken cancellationToken);
}

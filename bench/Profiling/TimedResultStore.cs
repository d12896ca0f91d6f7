using TaskQueue.Grains.Results;

namespace TaskQueue.Bench.Profiling;

/// <summary>The silo's own result store, each put timed: where a successful attempt's body is kept.</summary>
internal sealed class TimedResultStore(IResultStore inner, StageTimes times) : IResultStore
{
    public Task<StoredResult> PutAsync(
        Guid taskId,
        Stream content,
        string mediaType,
        long maxBytes,
        CancellationToken cancellationToken) =>
        times.TimeAsync("result_write", () => inner.PutAsync(taskId, content, mediaType, maxBytes, cancellationToken));

    public Task<ResultContent?> OpenAsync(Guid taskId, CancellationToken cancellationToken) =>
        inner.OpenAsync(taskId, cancellationToken);

    public Task DeleteAsync(Guid taskId, CancellationToken cancellationToken) => inner.DeleteAsync(taskId, cancellationToken);
}

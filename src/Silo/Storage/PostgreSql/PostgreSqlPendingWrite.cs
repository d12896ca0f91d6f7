using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>One write waiting for a batch of <see cref="PostgreSqlWriter"/>; its caller waits for the outcome.</summary>
internal sealed class PostgreSqlPendingWrite(
    string key,
    string sql,
    Action<NpgsqlParameterCollection> bind,
    int sizeBytes,
    CancellationToken cancellationToken)
{
    // Continuations run asynchronously so that a caller's code never runs on a writer loop and delays the next batch.
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Orders the statements of a batch, so that batches lock the rows they share in one order.</summary>
    public string Key { get; } = key;

    public string Sql { get; } = sql;

    public Action<NpgsqlParameterCollection> Bind { get; } = bind;

    /// <summary>About how large the parameters are.</summary>
    public int SizeBytes { get; } = sizeBytes;

    /// <summary>Honoured until the write joins a batch; after that its outcome is always reported.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<object?> Completion => _completion.Task;

    public void Succeed(object? result) => _completion.TrySetResult(result is DBNull ? null : result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);
}

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>One write waiting in the writer's queue, and the caller waiting for it to be durable.</summary>
internal abstract class PendingWrite(CancellationToken cancellationToken)
{
    /// <summary>Honoured until the write joins a batch; after that its outcome is always reported.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Runs the write inside the batch's transaction. Throwing fails this write alone.</summary>
    public abstract void Apply(WriteBatchContext context);

    /// <summary>Called once the batch holding the write has committed: the write is on disk.</summary>
    public abstract void Succeed();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}

/// <summary>A write whose caller receives a <typeparamref name="T"/> once it is durable.</summary>
internal sealed class PendingWrite<T>(Func<WriteBatchContext, T> apply, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken)
{
    // Continuations run asynchronously so that a caller's code never runs on the writer thread and delays the
    // next batch.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Completion => _completion.Task;

    public override void Apply(WriteBatchContext context) => _result = apply(context);

    public override void Succeed() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}

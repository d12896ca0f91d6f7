using Microsoft.Data.Sqlite;
using TaskQueue.Silo.Storage.Embedded;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>
/// Holds the database's write lock from a second connection while the writer is inside a batch, so that every
/// write queued meanwhile lands in the writer's next batch together. Real SQLite locking, no hook in the store.
/// </summary>
internal sealed class WriterBlock : IAsyncDisposable
{
    private readonly SqliteConnection _blocker;
    private readonly SqliteTransaction _lock;
    private readonly Task _sentinel;

    private WriterBlock(SqliteConnection blocker, SqliteTransaction writeLock, Task sentinel)
    {
        _blocker = blocker;
        _lock = writeLock;
        _sentinel = sentinel;
    }

    /// <summary>Takes the write lock, then waits until the writer has taken one write and waits for the lock.</summary>
    public static async Task<WriterBlock> StartAsync(EmbeddedDatabase database, CancellationToken cancellationToken)
    {
        var blocker = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = database.DatabasePath, Pooling = false }.ToString());
        await blocker.OpenAsync(cancellationToken);
        var writeLock = blocker.BeginTransaction(deferred: false);
        var sentinel = database.WriteAsync(_ => true, cancellationToken);
        while (database.Writer.QueuedWrites > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }

        Assert.False(sentinel.IsCompleted, "The writer committed while another connection held the write lock.");
        return new WriterBlock(blocker, writeLock, sentinel);
    }

    /// <summary>Releases the lock and waits for the writer's blocked batch to commit.</summary>
    public async ValueTask DisposeAsync()
    {
        _lock.Rollback();
        _lock.Dispose();
        await _blocker.DisposeAsync();
        await _sentinel.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// The one writer of the database file. Every write (task records and reminders) joins a queue; a dedicated
/// thread takes whatever is queued, up to a batch limit, and commits it in one transaction.
/// </summary>
/// <remarks>
/// Why one writer: SQLite lets one transaction write at a time, so many writing connections would only queue on
/// the file lock (and fail with SQLITE_BUSY past the timeout). Why batches (group commit): with
/// <c>synchronous=FULL</c> every commit waits for the disk to flush (about a millisecond on a fast disk, more on
/// others); one flush for a whole batch shares that cost, so throughput grows with load while a lone write still
/// commits at once (a batch never waits to fill). Each write checks its own etag inside a savepoint, so a write
/// that conflicts fails alone and the rest of its batch commits. A caller's task completes only after the commit
/// returned, that is after the flush: an acknowledged write survives a crash or a power cut.
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const string MetaVersionKey = "last_etag_version";
    private const string Savepoint = "item";
    private readonly SqliteConnection _connection;
    private readonly WriteBatchContext _context;
    private readonly Channel<PendingWrite> _queue;
    private readonly int _maxBatchSize;
    private readonly string _databasePath;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _committedBatches;

    /// <summary>Starts the writer thread on <paramref name="connection"/>, which it owns and closes.</summary>
    public GroupCommitWriter(
        SqliteConnection connection,
        int maxBatchSize,
        int maxPendingWrites,
        string databasePath,
        ILogger logger)
    {
        _connection = connection;
        _maxBatchSize = maxBatchSize;
        _databasePath = databasePath;
        _logger = logger;
        _context = new WriteBatchContext(connection, ReadLastVersion(connection));
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(maxPendingWrites)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // A thread of its own rather than a thread-pool task: the SQLite calls block (fsync), and a blocked
        // pool thread would be taken from the grains.
        var thread = new Thread(Run) { IsBackground = true, Name = "TaskQueue embedded store writer" };
        thread.Start();
    }

    /// <summary>How many batches have committed; lets tests see how writes were grouped.</summary>
    internal long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>How many writes wait for a batch, not counting the one being committed.</summary>
    internal int QueuedWrites => _queue.Reader.Count;

    /// <summary>Queues a write and completes when it is durable, or fails with its conflict or error.</summary>
    public async Task<T> WriteAsync<T>(Func<WriteBatchContext, T> apply, CancellationToken cancellationToken)
    {
        var write = new PendingWrite<T>(apply, cancellationToken);
        try
        {
            if (!_queue.Writer.TryWrite(write))
            {
                await _queue.Writer.WriteAsync(write, cancellationToken);
            }
        }
        catch (ChannelClosedException closed)
        {
            throw new ObjectDisposedException(
                $"The task database {_databasePath} is closed or its writer stopped; the write was not stored.",
                closed);
        }

        return await write.Completion;
    }

    /// <summary>Stops taking writes, commits everything already queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
    }

    private static long ReadLastVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM store_meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", MetaVersionKey);
        return command.ExecuteScalar() is long version
            ? version
            : throw new InvalidOperationException("The task database has no etag counter: its schema is damaged.");
    }

    private void Run()
    {
        var batch = new List<PendingWrite>(_maxBatchSize);
        try
        {
            // Blocking on the channel is right here: this thread exists only to wait for and commit writes.
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var write))
                {
                    if (write.CancellationToken.IsCancellationRequested)
                    {
                        write.Cancel();
                    }
                    else
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count > 0)
                {
                    Commit(batch);
                    batch.Clear();
                }
            }
        }
        catch (Exception crash)
        {
            EmbeddedStorageLog.WriterCrashed(_logger, crash, _databasePath);
            _queue.Writer.TryComplete(crash);
            var failure = new InvalidOperationException(
                $"The writer of the task database {_databasePath} stopped: {crash.Message}", crash);
            foreach (var write in batch)
            {
                write.Fail(failure);
            }

            while (_queue.Reader.TryRead(out var write))
            {
                write.Fail(failure);
            }
        }
        finally
        {
            _context.Dispose();
            _connection.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var failures = new Exception?[batch.Count];
        var conflicts = 0;
        try
        {
            // BEGIN IMMEDIATE takes the write lock up front, so a busy file shows up here, not halfway through.
            using var transaction = _connection.BeginTransaction(deferred: false);
            _context.Begin(transaction);
            var versionBefore = _context.LastVersion;
            for (var i = 0; i < batch.Count; i++)
            {
                failures[i] = ApplyAlone(batch[i], transaction);
                if (failures[i] is TaskStoreConflictException)
                {
                    conflicts++;
                }
            }

            if (_context.LastVersion != versionBefore)
            {
                var save = _context.Command("UPDATE store_meta SET value = $value WHERE key = $key");
                save.Parameters.AddWithValue("$value", _context.LastVersion);
                save.Parameters.AddWithValue("$key", MetaVersionKey);
                save.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (Exception commitFailure)
        {
            // Nothing of the batch is stored. Outcomes decided inside it (conflicts included) were decided against
            // rows that are now rolled back, so every caller gets the commit's error and reads again.
            EmbeddedStorageLog.BatchCommitFailed(_logger, commitFailure, batch.Count, _databasePath);
            foreach (var write in batch)
            {
                write.Fail(commitFailure);
            }

            return;
        }
        finally
        {
            _context.End();
        }

        Interlocked.Increment(ref _committedBatches);
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Succeed();
            }
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            EmbeddedStorageLog.BatchCommitted(_logger, batch.Count, conflicts, elapsed);
        }
    }

    /// <summary>Applies one write inside a savepoint: if it fails, its changes alone are undone.</summary>
    private Exception? ApplyAlone(PendingWrite write, SqliteTransaction transaction)
    {
        transaction.Save(Savepoint);
        try
        {
            write.Apply(_context);
            transaction.Release(Savepoint);
            return null;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // If undoing the write fails too, the transaction is unusable: that throws and fails the batch.
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            if (failure is not TaskStoreConflictException)
            {
                EmbeddedStorageLog.WriteFailed(_logger, failure, _databasePath);
            }

            return failure;
        }
    }
}

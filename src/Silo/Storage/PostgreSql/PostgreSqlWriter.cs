using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// Sends the single-statement writes of task records and reminders that arrive together in one batch: one round
/// trip and one transaction, so one commit (one WAL flush) for many writes. A lone write goes at once as it would
/// alone; a batch never waits to fill.
/// </summary>
/// <remarks>
/// <para>
/// Why: with 64 concurrent writers, committing each write on its own reached 2,100-3,350 writes per second on the
/// test machine, batches 3,650-7,750 (2-2.7 times as many, measured alternately; docs/storage-postgresql.md). Each
/// write still has its own outcome: its statement answers a row (its new etag) or none (a conflict), and conflicts
/// are not errors, so they never spoil the rest of the batch.
/// </para>
/// <para>
/// A caller is answered only after the batch's transaction committed (the whole reply was read, up to the server's
/// ReadyForQuery), so an acknowledged write is durable. If a statement fails with an error, PostgreSQL rolls the
/// whole batch back; each of its writes is then tried again alone, so that one bad write fails only its own caller.
/// Statements of a batch run in the order of their keys (task id, reminder key), so two batches touching the same
/// rows lock them in the same order and cannot deadlock each other.
/// </para>
/// </remarks>
internal sealed class PostgreSqlWriter : IAsyncDisposable
{
    /// <summary>The most writes sent in one batch.</summary>
    internal const int MaxBatchSize = 100;

    /// <summary>A batch takes no more writes once their parameters pass this size: large records go in small batches.
    /// </summary>
    internal const int MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>How many writes may wait for a batch before callers are held back (bounds memory).</summary>
    internal const int MaxPendingWrites = 10_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly Channel<PostgreSqlPendingWrite> _queue;
    private readonly Task[] _loops;
    private long _batches;
    private long _writes;
    private long _retriedAlone;

    public PostgreSqlWriter(NpgsqlDataSource dataSource, int concurrentBatches, ILogger logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _queue = Channel.CreateBounded<PostgreSqlPendingWrite>(new BoundedChannelOptions(MaxPendingWrites)
        {
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loops = Enumerable.Range(0, concurrentBatches).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>How many batches were sent (not counting writes tried again alone); with <see cref="Writes"/>, lets
    /// tests see how writes were grouped.</summary>
    internal long Batches => Interlocked.Read(ref _batches);

    /// <summary>How many writes were sent in batches.</summary>
    internal long Writes => Interlocked.Read(ref _writes);

    /// <summary>How many writes were tried again alone after their batch failed.</summary>
    internal long RetriedAlone => Interlocked.Read(ref _retriedAlone);

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement) in the next batch and answers the first column of the first row it
    /// returns, or null when it returns none. <paramref name="bind"/> adds the statement's parameters; it may run
    /// twice (when the write is tried again alone), so it creates new parameter objects each time.
    /// <paramref name="sizeBytes"/> is about how large those parameters are, to keep batches of large records small.
    /// </summary>
    public async Task<object?> WriteAsync(
        string key,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        int sizeBytes,
        CancellationToken cancellationToken)
    {
        var write = new PostgreSqlPendingWrite(key, sql, bind, sizeBytes, cancellationToken);
        try
        {
            if (!_queue.Writer.TryWrite(write))
            {
                await _queue.Writer.WriteAsync(write, cancellationToken);
            }
        }
        catch (ChannelClosedException closed)
        {
            throw new ObjectDisposedException("The PostgreSQL writer is stopped; the write was not stored.", closed);
        }

        return await write.Completion;
    }

    /// <summary>Stops taking writes and sends everything already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        var batch = new List<PostgreSqlPendingWrite>(MaxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var bytes = 0L;
            while (batch.Count < MaxBatchSize && bytes < MaxBatchBytes && _queue.Reader.TryRead(out var write))
            {
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Cancel();
                }
                else
                {
                    batch.Add(write);
                    bytes += write.SizeBytes;
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch);
            }
        }
    }

    private async Task SendAsync(List<PostgreSqlPendingWrite> writes)
    {
        var started = Stopwatch.GetTimestamp();
        var ordered = writes.OrderBy(write => write.Key, StringComparer.Ordinal).ToList();
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, ordered.Count);
        try
        {
            var results = await ExecuteAsync(ordered);
            for (var i = 0; i < ordered.Count; i++)
            {
                ordered[i].Succeed(results[i]);
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                PostgreSqlStorageLog.BatchSent(_logger, ordered.Count, elapsed);
            }
        }
        catch (PostgresException failure) when (ordered.Count > 1)
        {
            // The server rolled the whole batch back for one statement's error: find out which, one by one.
            PostgreSqlStorageLog.BatchFailed(_logger, failure, ordered.Count);
            Interlocked.Add(ref _retriedAlone, ordered.Count);
            foreach (var write in ordered)
            {
                await SendAloneAsync(write);
            }
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // The connection failed or the server refused the statement: the callers decide what to do.
            foreach (var write in ordered)
            {
                write.Fail(failure);
            }
        }
    }

    private async Task SendAloneAsync(PostgreSqlPendingWrite write)
    {
        try
        {
            write.Succeed((await ExecuteAsync([write]))[0]);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            write.Fail(failure);
        }
    }

    /// <summary>Sends the statements in one batch; answers each one's first value once the transaction committed.</summary>
    private Task<object?[]> ExecuteAsync(List<PostgreSqlPendingWrite> writes) =>
        PostgreSqlRetry.OnceIfSessionEndedAsync(_dataSource, () => ExecuteOnceAsync(writes));

    private async Task<object?[]> ExecuteOnceAsync(List<PostgreSqlPendingWrite> writes)
    {
        // Without an explicit transaction Npgsql sends the batch with one Sync: PostgreSQL runs it as one implicit
        // transaction and commits it before answering ReadyForQuery, which the reader consumes when it closes.
        await using var batch = _dataSource.CreateBatch();
        foreach (var write in writes)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = write.Sql;
            write.Bind(command.Parameters);
            batch.BatchCommands.Add(command);
        }

        var results = new object?[writes.Count];
        await using (var reader = await batch.ExecuteReaderAsync(CancellationToken.None))
        {
            var index = 0;
            do
            {
                results[index++] = await reader.ReadAsync(CancellationToken.None) ? reader.GetValue(0) : null;
            }
            while (await reader.NextResultAsync(CancellationToken.None));
        }

        return results;
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// The SQLite file behind the embedded task store and reminder table: it takes the file's lock, applies the
/// schema, runs the single writer and hands out reading connections.
/// </summary>
/// <remarks>
/// WAL journal mode lets readers work beside the writer: a reader sees the last commit before it began and
/// never waits for the writer, and the writer never waits for readers. <c>synchronous=FULL</c> makes each
/// commit wait for the write-ahead log to reach the disk, so an acknowledged write survives a power cut; the
/// group-committing writer keeps that cost to one flush per batch.
/// </remarks>
internal sealed class EmbeddedDatabase : IAsyncDisposable, IDisposable
{
    private readonly EmbeddedStorageOptions _options;
    private readonly ILogger<EmbeddedDatabase> _logger;
    private readonly Lock _gate = new();
    private Task? _opening;
    private bool _closed;
    private DatabaseFileLock? _fileLock;
    private GroupCommitWriter? _writer;
    private string? _readConnectionString;

    public EmbeddedDatabase(IOptions<EmbeddedStorageOptions> options, ILogger<EmbeddedDatabase> logger)
    {
        _options = options.Value;
        _logger = logger;
        DatabasePath = Path.GetFullPath(_options.DatabasePath);
    }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath { get; }

    /// <summary>The writer, for tests that look at how writes were grouped.</summary>
    internal GroupCommitWriter Writer => _writer ?? throw NotOpen();

    internal static string DatabasePathVariable =>
        EmbeddedStorageOptionsValidator.EnvironmentVariable(nameof(EmbeddedStorageOptions.DatabasePath));

    /// <summary>Opens the file and applies the schema; later calls wait for the first one.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);

            // Opening does blocking file work (lock, schema, WAL recovery): keep it off the caller's thread.
            _opening ??= Task.Run(Open, CancellationToken.None);
        }

        return _opening.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Commits every queued write, closes the connections and releases the file. It takes no cancellation token
    /// on purpose: every queued write has a caller waiting for its answer, and committing it is the only answer
    /// that loses nothing; cutting the stop short would also leave the file open and locked.
    /// </summary>
    public async Task StopAsync()
    {
        Task? opening;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            opening = _opening;
        }

        if (opening is null)
        {
            return;
        }

        try
        {
            await opening;
        }
        catch (Exception) when (opening.IsFaulted)
        {
            // Open failed and cleaned up after itself: nothing is open.
            return;
        }

        await _writer!.DisposeAsync();

        // Pooled readers keep the file open; a reopened store (or another process after us) must find it closed.
        using (var poolKey = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(poolKey);
        }

        _fileLock?.Dispose();
        EmbeddedStorageLog.Closed(_logger, DatabasePath);
    }

    /// <summary>A new open read-only connection; the caller disposes it (it returns to the pool).</summary>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotOpen();
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues a write for the writer; completes when it is durable.</summary>
    public Task<T> WriteAsync<T>(Func<WriteBatchContext, T> apply, CancellationToken cancellationToken)
    {
        ThrowIfNotOpen();
        return _writer!.WriteAsync(apply, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    // The container disposes synchronously when it is not disposed asynchronously. Blocking is safe here: the
    // writer runs on its own thread and needs nothing from this one.
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private void Open()
    {
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var fileLock = DatabaseFileLock.Acquire(DatabasePath, DatabasePathVariable);
        SqliteConnection? connection = null;
        try
        {
            connection = OpenWriterConnection();
            EmbeddedSchema.Apply(connection, DatabasePath, _logger);

            _readConnectionString = ConnectionString(SqliteOpenMode.ReadOnly, pooling: true);
            _writer = new GroupCommitWriter(
                connection, _options.MaxBatchSize, _options.MaxPendingWrites, DatabasePath, _logger);
            _fileLock = fileLock;
            EmbeddedStorageLog.Opened(_logger, DatabasePath, EmbeddedSchema.CurrentVersion);
        }
        catch (SqliteException notADatabase) when (notADatabase.SqliteErrorCode is 26)
        {
            connection?.Dispose();
            fileLock.Dispose();
            throw new InvalidOperationException(
                $"The file {DatabasePath} is not an SQLite database (SQLite: {notADatabase.Message}). Point "
                + $"{DatabasePathVariable} at a new file or a TaskQueue task database.",
                notADatabase);
        }
        catch
        {
            connection?.Dispose();
            fileLock.Dispose();
            throw;
        }
    }

    private SqliteConnection OpenWriterConnection()
    {
        // The writer's connection lives as long as the store, so it is not pooled.
        var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadWriteCreate, pooling: false));
        try
        {
            connection.Open();
            var journalMode = ExecutePragma(connection, "journal_mode = WAL");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The task database {DatabasePath} cannot use write-ahead logging (SQLite kept journal mode "
                    + $"'{journalMode}'); the file system may not support it. Point {DatabasePathVariable} at a "
                    + "file on a local disk.");
            }

            ExecutePragma(connection, "synchronous = FULL");
            var busyMilliseconds = (long)_options.BusyTimeout.TotalMilliseconds;
            ExecutePragma(
                connection, string.Create(CultureInfo.InvariantCulture, $"busy_timeout = {busyMilliseconds}"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private string ConnectionString(SqliteOpenMode mode, bool pooling) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = mode,
            Pooling = pooling,

            // Microsoft.Data.Sqlite retries a statement that finds the file busy until this many seconds pass.
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        }.ToString();

    private static string? ExecutePragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void ThrowIfNotOpen()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_opening is not { IsCompletedSuccessfully: true })
        {
            throw NotOpen();
        }
    }

    private InvalidOperationException NotOpen() => new(
        $"The task database {DatabasePath} is not open: the silo starts it (AddEmbeddedTaskStorage) before grains "
        + "run; outside a silo, call StartAsync first.");
}

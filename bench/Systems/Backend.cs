using System.Globalization;
using Npgsql;
using TaskQueue.TestSupport.PostgreSql;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.Bench.Systems;

/// <summary>
/// Where a benchmark keeps its data: a temporary folder (the SQLite file and the result files), plus for
/// PostgreSQL a throwaway server started as the tests start theirs (initdb in a temporary folder, fsync on).
/// Everything is removed on dispose.
/// </summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly PostgreSqlServer? _server;
    private readonly string? _database;

    private Backend(BackendKind kind, string folder, PostgreSqlServer? server, string? database)
    {
        Kind = kind;
        Folder = folder;
        _server = server;
        _database = database;
    }

    public BackendKind Kind { get; }

    /// <summary>The temporary folder of this run: database file (embedded), results.</summary>
    public string Folder { get; }

    /// <summary>The SQLite file, for the embedded backend.</summary>
    public string DatabasePath => Path.Combine(Folder, "taskqueue.db");

    public string ConnectionString =>
        _server?.ConnectionString(_database!) ?? throw new InvalidOperationException("Not a PostgreSQL backend.");

    /// <summary>The postmaster's process id: its children are the server's backends.</summary>
    public int ServerProcessId => _server?.ProcessId ?? 0;

    public string Name => Kind == BackendKind.Embedded ? "embedded" : "postgresql";

    public static async Task<Backend> StartAsync(BackendKind kind, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("taskqueue-bench-").FullName;
        if (kind == BackendKind.Embedded)
        {
            return new Backend(kind, folder, null, null);
        }

        var bin = PostgreSqlServer.FindBinFolder()
            ?? throw new InvalidOperationException($"PostgreSQL is not installed: {PostgreSqlServer.InstallHint}.");
        var server = await PostgreSqlServer.StartAsync(bin, cancellationToken);
        try
        {
            var database = await server.CreateDatabaseAsync(cancellationToken);
            return new Backend(kind, folder, server, database);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo settings (configuration keys) that select this backend; results go to the folder.</summary>
    public Dictionary<string, string?> SiloSettings(string resultsFolderName = "results")
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskQueue:Results:Provider"] = "LocalFolder",
            ["TaskQueue:Results:LocalFolder:Path"] = Path.Combine(Folder, resultsFolderName),
        };
        if (Kind == BackendKind.Embedded)
        {
            settings["TaskQueue:Storage:Provider"] = "Embedded";
            settings["TaskQueue:Storage:Embedded:DatabasePath"] = DatabasePath;
        }
        else
        {
            settings["TaskQueue:Storage:Provider"] = "PostgreSql";
            settings["TaskQueue:Storage:PostgreSql:ConnectionString"] = ConnectionString;
        }

        return settings;
    }

    /// <summary>Forces a checkpoint, so that the phase after it starts where every other phase started.</summary>
    /// <remarks>
    /// After a checkpoint PostgreSQL logs each page again in full the first time it changes: without this, one
    /// phase's WAL could carry a checkpoint's full-page images and another's none.
    /// </remarks>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await ExecuteScalarAsync("CHECKPOINT", cancellationToken);
        }
    }

    /// <summary>The server's write counters; zero for the embedded backend.</summary>
    public async Task<WalCounters> WalCountersAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return default;
        }

        // The statistics of other sessions reach the shared counters within a second of their last commit.
        await Task.Delay(TimeSpan.FromSeconds(1.2), cancellationToken);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                   d.xact_commit, d.tup_inserted + d.tup_updated + d.tup_deleted, w.wal_sync
            FROM pg_stat_database d, pg_stat_wal w
            WHERE d.datname = current_database()
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WalCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Where the write-ahead log is now, as PostgreSQL writes an LSN (<c>0/1A2B3C4D</c>); null for embedded.</summary>
    public async Task<string?> CurrentLsnAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", connection);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// What the WAL between two LSNs holds, by <c>pg_waldump --stats</c>: bytes of records and bytes of full-page
    /// images (a page's first change after a checkpoint is logged whole), and pg_waldump's table by resource manager.
    /// </summary>
    public async Task<(long RecordBytes, long FullPageBytes, string Table)?> WalContentsAsync(
        string fromLsn,
        string toLsn,
        CancellationToken cancellationToken)
    {
        if (_server is null || PostgreSqlServer.FindBinFolder() is not { } bin)
        {
            return null;
        }

        var (exitCode, output) = await ExternalProcess.RunAsync(
            Path.Combine(bin, "pg_waldump"),
            ["--stats", "-p", Path.Combine(_server.DataFolder, "pg_wal"), "-s", fromLsn, "-e", toLsn],
            TimeSpan.FromMinutes(2),
            cancellationToken: cancellationToken);
        var total = output.Split('\n').FirstOrDefault(line => line.StartsWith("Total", StringComparison.Ordinal));
        if (total is null)
        {
            return (0, 0, $"pg_waldump failed ({exitCode}): {output}");
        }

        // "Total  N  record-bytes [x%]  fpi-bytes [y%]  combined [100%]": the numbers outside brackets.
        var numbers = total.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !part.StartsWith('[') && long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(part => long.Parse(part, CultureInfo.InvariantCulture))
            .ToList();
        var table = string.Join('\n', output.Split('\n').Where(line => line.Trim().Length > 0));
        return numbers.Count >= 3 ? (numbers[1], numbers[2], table) : (0, 0, output);
    }

    /// <summary>The size of the SQLite file and its write-ahead log, for the embedded backend.</summary>
    public long DatabaseFileBytes()
    {
        long total = 0;
        foreach (var suffix in new[] { "", "-wal" })
        {
            var file = new FileInfo(DatabasePath + suffix);
            total += file.Exists ? file.Length : 0;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process we started may still hold a file; the system's temporary folder is reclaimed anyway.
        }
    }

    private async Task ExecuteScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}

namespace TaskQueue.Bench.Systems;

/// <summary>The task store a benchmark runs on.</summary>
internal enum BackendKind
{
    /// <summary>The SQLite file (WAL, synchronous=FULL) of a single silo.</summary>
    Embedded,

    /// <summary>A throwaway PostgreSQL 15 server on loopback, fsync on.</summary>
    PostgreSql,
}

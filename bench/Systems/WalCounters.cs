namespace TaskQueue.Bench.Systems;

/// <summary>PostgreSQL's own counters of what was written: read before and after a phase.</summary>
/// <param name="WalBytes">Position of the write-ahead log (pg_current_wal_lsn), in bytes.</param>
/// <param name="Commits">Committed transactions in the benchmark's database.</param>
/// <param name="RowWrites">Rows inserted, updated and deleted in that database.</param>
/// <param name="WalSyncs">Times the WAL was flushed to disk (pg_stat_wal.wal_sync): the fsyncs.</param>
internal readonly record struct WalCounters(long WalBytes, long Commits, long RowWrites, long WalSyncs)
{
    public static WalCounters operator -(WalCounters after, WalCounters before) =>
        new(after.WalBytes - before.WalBytes, after.Commits - before.Commits,
            after.RowWrites - before.RowWrites, after.WalSyncs - before.WalSyncs);
}

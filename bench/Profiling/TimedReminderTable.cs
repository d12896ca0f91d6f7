namespace TaskQueue.Bench.Profiling;

/// <summary>The silo's own reminder table, each call timed: reminder registration, removal and reads.</summary>
internal sealed class TimedReminderTable(IReminderTable inner, StageTimes times) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        times.TimeAsync("reminder_read", () => inner.ReadRows(grainId, cancellationToken));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        times.TimeAsync("reminder_range_read", () => inner.ReadRows(begin, end, cancellationToken));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        times.TimeAsync("reminder_read", () => inner.ReadRow(grainId, reminderName, cancellationToken));

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken) =>
        times.TimeAsync("reminder_write", () => inner.UpsertRow(entry, cancellationToken));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        times.TimeAsync("reminder_remove", () => inner.RemoveRow(grainId, reminderName, eTag, cancellationToken));

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}

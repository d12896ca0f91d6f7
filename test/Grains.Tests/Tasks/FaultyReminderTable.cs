namespace TaskQueue.Grains.Tests.Tasks;

/// <summary>The silo's own reminder table, whose registrations fail where <see cref="StorageFaults"/> says so.</summary>
internal sealed class FaultyReminderTable(IReminderTable inner, StorageFaults faults) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        inner.ReadRows(grainId, cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        inner.ReadRows(begin, end, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        inner.ReadRow(grainId, reminderName, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        faults.ThrowIfArmed(entry.GrainId.GetGuidKey(), "reminder");
        return inner.UpsertRow(entry, cancellationToken);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        inner.RemoveRow(grainId, reminderName, eTag);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        inner.RemoveRow(grainId, reminderName, eTag, cancellationToken);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}

using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Orleans.Configuration;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Orleans' reminder table in the <c>reminders</c> collection, one document per reminder, keyed by the service id
/// (from Orleans' <see cref="ClusterOptions"/>), grain and name. Behaves as Orleans' in-memory and ADO.NET tables
/// do: upserts are unconditional and answer a new etag, a remove with a stale etag answers false, range reads follow
/// the ring.
/// </summary>
internal sealed class MongoDbReminderTable(MongoDbDatabase database, IOptions<ClusterOptions> clusterOptions)
    : IReminderTable
{
    private static readonly UpdateOptions Upsert = new() { IsUpsert = true };
    private readonly string _serviceId = clusterOptions.Value.ServiceId;

    public Task StartAsync(CancellationToken cancellationToken = default) => database.StartAsync(cancellationToken);

    // The client is shared with the task store and membership, which may still work after reminders stop.
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync(
            new BsonDocument
            {
                { ReminderDocument.ServiceId, _serviceId },
                { ReminderDocument.Grain, grainId.ToString() },
            },
            cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        QueryAsync(ReminderDocument.InRange(_serviceId, begin, end), cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var document = await database.Reminders
            .Find(ReminderDocument.Key(_serviceId, grainId, reminderName))
            .FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : ReminderDocument.Read(document);
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        var etag = ObjectId.GenerateNewId();
        var filter = ReminderDocument.Key(_serviceId, entry.GrainId, entry.ReminderName);
        var update = ReminderDocument.Upsert(entry, etag);
        try
        {
            await database.Reminders.UpdateOneAsync(filter, update, Upsert, cancellationToken);
        }
        catch (MongoWriteException raced) when (raced.WriteError?.Category is ServerErrorCategory.DuplicateKey)
        {
            // Two upserts of a new reminder raced and the unique index refused the second insert. MongoDB 4.2 and
            // later retry this themselves; an older server leaves it to us, and now the document exists to update.
            await database.Reminders.UpdateOneAsync(filter, update, Upsert, cancellationToken);
        }

        return MongoDbETag.ToText(etag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public async Task<bool> RemoveRow(
        GrainId grainId,
        string reminderName,
        string eTag,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        if (!MongoDbETag.TryParse(eTag, out var etag))
        {
            // No reminder ever had this etag, so none matches it.
            return false;
        }

        var deleted = await database.Reminders.DeleteOneAsync(
            ReminderDocument.KeyAndETag(_serviceId, grainId, reminderName, etag),
            cancellationToken);
        return deleted.DeletedCount == 1;
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    // Only this service's reminders: the collection may hold other services' (another deployment sharing the database).
    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        database.Reminders.DeleteManyAsync(new BsonDocument(ReminderDocument.ServiceId, _serviceId), cancellationToken);

    private async Task<ReminderTableData> QueryAsync(BsonDocument filter, CancellationToken cancellationToken)
    {
        var documents = await database.Reminders.Find(filter).ToListAsync(cancellationToken);
        return new ReminderTableData(documents.Select(ReminderDocument.Read));
    }
}

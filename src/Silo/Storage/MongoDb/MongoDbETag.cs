using MongoDB.Bson;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Etags of every kind this backend hands out (task versions, reminders, membership rows and table versions): a new
/// ObjectId per write, as its 24 hexadecimal digits. ObjectIds never repeat, so an etag read before a document was
/// deleted and created again never matches the new document, as a counter that starts again would.
/// </summary>
internal static class MongoDbETag
{
    public static string ToText(ObjectId etag) => etag.ToString();

    /// <summary>Reads an etag this backend answered; anything else is an etag no document can have.</summary>
    public static bool TryParse(string? etag, out ObjectId value)
    {
        value = ObjectId.Empty;
        return etag is { Length: 24 } && ObjectId.TryParse(etag, out value) && value != ObjectId.Empty;
    }
}

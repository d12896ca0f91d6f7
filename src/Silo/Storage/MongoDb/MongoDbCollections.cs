namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>The collections of the TaskQueue database.</summary>
internal static class MongoDbCollections
{
    /// <summary>One document per task: index fields beside the record.</summary>
    public const string Tasks = "tasks";

    /// <summary>One document per Orleans reminder.</summary>
    public const string Reminders = "reminders";

    /// <summary>One document per cluster: its table version and every silo's entry.</summary>
    public const string Membership = "membership";
}

namespace TaskQueue.Silo.Storage;

/// <summary>The times Orleans hands to reminder and membership tables, as every backend stores them.</summary>
internal static class OrleansTimes
{
    /// <summary>
    /// Orleans hands out UTC times; one without a kind is taken as UTC, as Orleans' ADO.NET tables do (and Npgsql
    /// refuses to write a time of unspecified kind to a timestamptz column).
    /// </summary>
    public static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    /// <summary>Refuses a reminder row that names no grain or no reminder.</summary>
    public static void CheckReminder(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.GrainId.IsDefault)
        {
            throw new ArgumentException("A reminder needs the grain it belongs to.", nameof(entry));
        }

        ArgumentException.ThrowIfNullOrEmpty(entry.ReminderName, $"{nameof(entry)}.{nameof(entry.ReminderName)}");
    }
}

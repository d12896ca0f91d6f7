namespace TaskQueue.Grains;

/// <summary>How unfinished tasks come back after a crash or restart, under <c>TaskQueue:Recovery</c>.</summary>
public sealed class RecoveryOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "TaskQueue:Recovery";

    /// <summary>
    /// The period of the reminder every unfinished task holds: after a silo dies, its tasks go on within
    /// about this long. Default: 1 minute, Orleans' smallest reminder period unless the silo lowers
    /// ReminderOptions.MinimumReminderPeriod (the host sets it to this value when it is shorter).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

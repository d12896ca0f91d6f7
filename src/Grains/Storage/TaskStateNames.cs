using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.Storage;

/// <summary>The lowercase names task states carry in store index columns and on the HTTP API.</summary>
public static class TaskStateNames
{
    /// <summary>
    /// Every state's name, in the enum's order. A listing over all statuses reads one index range per name and
    /// merges them, so that one index (status, creation time, id) serves both the filtered and the unfiltered listing.
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<TaskState>().Select(ToName)];

    public static string ToName(TaskState state) => state switch
    {
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Retrying => "retrying",
        TaskState.Succeeded => "succeeded",
        TaskState.Failed => "failed",
        TaskState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a task state."),
    };

    public static bool TryParse(string? name, out TaskState state)
    {
        foreach (var candidate in Enum.GetValues<TaskState>())
        {
            if (string.Equals(ToName(candidate), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}

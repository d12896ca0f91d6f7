namespace TaskQueue.Grains.Interfaces;

/// <summary>Questions every caller asks of a <see cref="TaskState"/>.</summary>
public static class TaskStateExtensions
{
    /// <summary>True for Succeeded, Failed and Cancelled: nothing more will happen to the task.</summary>
    public static bool IsFinal(this TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;
}

namespace TaskQueue.Grains.Interfaces;

/// <summary>Where a task is in its life. Queued, Running and Retrying are unfinished; the rest are final.</summary>
[GenerateSerializer]
[Alias("TaskQueue.TaskState")]
public enum TaskState
{
    /// <summary>Accepted and stored; the first attempt has not started yet.</summary>
    Queued = 0,

    /// <summary>An attempt is in flight at the task type's service.</summary>
    Running = 1,

    /// <summary>An attempt failed for a reason that can pass; the next one waits for its backoff.</summary>
    Retrying = 2,

    /// <summary>An attempt succeeded and its result is stored.</summary>
    Succeeded = 3,

    /// <summary>The task failed permanently or ran out of attempts.</summary>
    Failed = 4,

    /// <summary>The user cancelled the task before it finished.</summary>
    Cancelled = 5,
}

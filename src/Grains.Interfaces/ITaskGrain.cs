namespace TaskQueue.Grains.Interfaces;

/// <summary>
/// One task, keyed by its id. It stores the task before it answers a submission, dispatches it to the task
/// type's service, retries what can pass and keeps the outcome. Every method answers at once, also while an
/// attempt is in flight.
/// </summary>
/// <remarks>Pick the id with <see cref="TaskIds.New"/>, or <see cref="TaskIds.ForIdempotencyKey"/> to make
/// a submission safe to repeat.</remarks>
public interface ITaskGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Validates the submission against the task type, stores the task and starts it. Repeating the same
    /// submission for the same id answers <see cref="SubmitOutcome.AlreadyAccepted"/> and stores nothing new.
    /// </summary>
    Task<SubmitResult> SubmitAsync(TaskSubmission submission);

    /// <summary>The task, or null when it does not exist or belongs to another user.</summary>
    Task<TaskView?> GetAsync(string userId);

    /// <summary>Cancels the task if it is unfinished; an attempt in flight is abandoned.</summary>
    Task<CancelResult> CancelAsync(string userId);
}

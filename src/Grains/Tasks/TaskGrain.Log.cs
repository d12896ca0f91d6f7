using Microsoft.Extensions.Logging;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.Tasks;

/// <summary>What a task grain tells the operator (event ids 2000-2099).</summary>
public sealed partial class TaskGrain
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Task {TaskId} ({TaskType}) accepted for user {UserId}")]
    private partial void LogAccepted(Guid taskId, string taskType, string userId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Task {TaskId} ({TaskType}) finished {Status} {Reason}")]
    private partial void LogFinished(Guid taskId, string taskType, TaskState status, string? reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning,
        Message = "Task {TaskId} ({TaskType}) attempt {Attempt} failed; retrying at {NextAttemptAt}: {Reason}")]
    private partial void LogRetrying(Guid taskId, string taskType, int attempt, DateTimeOffset? nextAttemptAt, string? reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning,
        Message = "Task {TaskId} ({TaskType}) attempt {Attempt} was interrupted: its silo stopped before it ended")]
    private partial void LogInterrupted(Guid taskId, string taskType, int attempt);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information,
        Message = "Task {TaskId} handed over to another activation ({Reason})")]
    private partial void LogHandedOver(Guid taskId, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error,
        Message = "Task {TaskId} could not be handed over at deactivation; its reminder will bring it back")]
    private partial void LogHandOverFailed(Exception exception, Guid taskId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error,
        Message = "Task {TaskId} could not be stored; the activation is dropped and reloads from storage")]
    private partial void LogWriteFailed(Exception exception, Guid taskId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information,
        Message = "Task {TaskId} not started here: this silo is stopping; its reminder resumes it on another silo")]
    private partial void LogNotStartedOnStoppingSilo(Guid taskId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning,
        Message = "The reminder of finished task {TaskId} could not be removed; it will be removed when it fires")]
    private partial void LogReminderNotRemoved(Exception exception, Guid taskId);
}

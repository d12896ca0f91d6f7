namespace TaskQueue.TestSupport.TaskServices;

/// <summary>One request a task service received from the queue.</summary>
public sealed record ServiceCall(
    int Number,
    string? TaskId,
    int? Attempt,
    string Body,
    DateTimeOffset ReceivedAt);

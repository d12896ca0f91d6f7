namespace TaskQueue.Gateway.Contracts;

/// <summary>The body of <c>POST /tasks</c>.</summary>
/// <remarks>Documents the shape only: the gateway reads and checks the body itself, field by field.</remarks>
public sealed record SubmitTaskRequest
{
    /// <summary>The task to run.</summary>
    public required TaskRequest TaskRequest { get; init; }
}

namespace TaskQueue.Gateway.Contracts;

/// <summary>One task to run: its type and the type's parameters.</summary>
public sealed record TaskRequest
{
    /// <summary>A registered task type, for example <c>syft</c> (see <c>GET /task-types</c>).</summary>
    public required string TaskType { get; init; }

    /// <summary>
    /// The task type's parameters by name; every value is a string. <c>{}</c> when the type needs none.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }
}

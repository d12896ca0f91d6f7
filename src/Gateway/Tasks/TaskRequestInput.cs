namespace TaskQueue.Gateway.Tasks;

/// <summary>A task request whose shape was checked: what the task grain is asked to validate and store.</summary>
internal sealed record TaskRequestInput(string TaskType, IReadOnlyDictionary<string, string> Parameters);

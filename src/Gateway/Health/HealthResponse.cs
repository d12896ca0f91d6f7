namespace TaskQueue.Gateway.Health;

/// <summary>The answer of a health probe that passed.</summary>
public sealed record HealthResponse
{
    /// <summary><c>alive</c> or <c>ready</c>.</summary>
    public required string Status { get; init; }
}

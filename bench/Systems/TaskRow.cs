namespace TaskQueue.Bench.Systems;

/// <summary>One row of a listing as the gateway answers it.</summary>
internal sealed record TaskRow(Guid Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

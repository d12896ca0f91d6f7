namespace TaskQueue.Grains.Interfaces;

/// <summary>What a succeeded task's result is; the bytes themselves live in the result store.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskResultInfo")]
public sealed record TaskResultInfo
{
    /// <summary>The result's length in bytes.</summary>
    [Id(0)]
    public required long SizeBytes { get; init; }

    /// <summary>The media type the service answered, for example <c>application/vnd.cyclonedx+json</c>.</summary>
    [Id(1)]
    public required string MediaType { get; init; }

    /// <summary>The SHA-256 of the result, lowercase hex, computed while it was stored.</summary>
    [Id(2)]
    public required string Sha256 { get; init; }
}

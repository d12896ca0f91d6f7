using TaskQueue.Gateway.Tasks;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>A succeeded task's result: what it is and where to fetch it.</summary>
public sealed record TaskResultResponse
{
    /// <summary>Where to fetch the result: <c>/tasks/{id}/result</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The result's media type, for example <c>application/vnd.cyclonedx+json</c>.</summary>
    public required string MediaType { get; init; }

    /// <summary>The result's length in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>The result's SHA-256, lowercase hex; also its ETag.</summary>
    public required string Sha256 { get; init; }

    internal static TaskResultResponse From(Guid taskId, TaskResultInfo result, string pathBase) => new()
    {
        Url = TaskRoutes.Result(pathBase, taskId),
        MediaType = result.MediaType,
        SizeBytes = result.SizeBytes,
        Sha256 = result.Sha256,
    };
}

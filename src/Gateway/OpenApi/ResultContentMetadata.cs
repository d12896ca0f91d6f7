namespace TaskQueue.Gateway.OpenApi;

/// <summary>
/// The media types a streamed result comes in, for the API description: the body is whatever the task type's
/// service answered, so it is described as bytes in each of them.
/// </summary>
internal sealed class ResultContentMetadata(params string[] mediaTypes)
{
    public IReadOnlyList<string> MediaTypes { get; } = mediaTypes;
}

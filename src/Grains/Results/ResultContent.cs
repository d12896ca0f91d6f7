namespace TaskQueue.Grains.Results;

/// <summary>A stored result opened for reading.</summary>
public sealed class ResultContent(Stream content, long sizeBytes, string mediaType) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long SizeBytes { get; } = sizeBytes;

    public string MediaType { get; } = mediaType;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

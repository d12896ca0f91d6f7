namespace TaskQueue.TestSupport.Images;

/// <summary>An image pushed to a registry: where it is and the digest of its manifest.</summary>
/// <param name="Registry">The registry as references name it (<c>127.0.0.1:PORT</c>).</param>
/// <param name="Repository">The repository path (<c>tests/busybox</c>).</param>
/// <param name="Tag">The tag it was pushed under.</param>
/// <param name="Digest">The manifest's digest (<c>sha256:...</c>).</param>
public sealed record PublishedImage(string Registry, string Repository, string Tag, string Digest)
{
    /// <summary><c>registry/repository:tag</c>.</summary>
    public string Reference => $"{Registry}/{Repository}:{Tag}";

    /// <summary><c>registry/repository@digest</c>.</summary>
    public string DigestReference => $"{Registry}/{Repository}@{Digest}";
}

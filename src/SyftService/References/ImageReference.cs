namespace TaskQueue.SyftService.References;

/// <summary>
/// A container image reference in normalized form: the registry domain is explicit (<c>docker.io</c> when the
/// user gave none), single-component Docker Hub names carry <c>library/</c>, and a reference with neither tag
/// nor digest carries the tag <c>latest</c>.
/// </summary>
/// <param name="Domain">The registry host with its optional port, as written (for example
/// <c>docker.io</c>, <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>).</param>
/// <param name="Path">The repository path inside the registry (for example <c>library/ubuntu</c>).</param>
/// <param name="Tag">The tag, or null when only a digest was given.</param>
/// <param name="Digest">The digest (<c>sha256:...</c>), or null.</param>
internal sealed record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    /// <summary>The repository with its registry: <c>docker.io/library/ubuntu</c>.</summary>
    public string Name => $"{Domain}/{Path}";

    /// <summary>What the registry's manifest endpoint takes: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag!;

    /// <summary>The same image in another registry (a mirror), with path, tag and digest unchanged.</summary>
    public ImageReference WithDomain(string domain) => this with { Domain = domain };

    /// <summary>
    /// The form handed to an engine: a digest pins the image, so a reference with both keeps only the digest,
    /// as Docker does when it pulls.
    /// </summary>
    public string ToEngineArgument() => Digest is null ? $"{Name}:{Tag}" : $"{Name}@{Digest}";

    public override string ToString()
    {
        var text = Name;
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        if (Digest is not null)
        {
            text += "@" + Digest;
        }

        return text;
    }
}

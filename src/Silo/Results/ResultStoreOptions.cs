namespace TaskQueue.Silo.Results;

/// <summary>
/// Where task results are stored. Section <c>TaskQueue:Results</c>; environment variables
/// <c>TaskQueue__Results__...</c>.
/// </summary>
public sealed class ResultStoreOptions
{
    public const string SectionName = "TaskQueue:Results";

    /// <summary>
    /// <c>LocalFolder</c> (default: a folder on this machine, for a single silo) or <c>S3</c> (an S3-compatible
    /// object store, for a cluster).
    /// </summary>
    public ResultStoreProvider Provider { get; set; } = ResultStoreProvider.LocalFolder;

    /// <summary>Settings used when <see cref="Provider"/> is <c>LocalFolder</c>.</summary>
    public LocalFolderResultStoreOptions LocalFolder { get; set; } = new();

    /// <summary>Settings used when <see cref="Provider"/> is <c>S3</c>.</summary>
    public S3ResultStoreOptions S3 { get; set; } = new();
}

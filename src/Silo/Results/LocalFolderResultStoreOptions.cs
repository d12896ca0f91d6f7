namespace TaskQueue.Silo.Results;

/// <summary>The local folder result store. Section <c>TaskQueue:Results:LocalFolder</c>.</summary>
public sealed class LocalFolderResultStoreOptions
{
    public const string SectionName = ResultStoreOptions.SectionName + ":LocalFolder";

    /// <summary>
    /// The folder that holds one file per task; created when missing. Default <c>data/results</c>, relative to
    /// the working directory. Only one silo may write to it; the gateway on the same machine reads it.
    /// </summary>
    public string Path { get; set; } = "data/results";
}

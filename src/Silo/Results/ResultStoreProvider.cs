namespace TaskQueue.Silo.Results;

/// <summary>Where results are kept.</summary>
public enum ResultStoreProvider
{
    /// <summary>A folder on this machine: one file per task. For a single silo.</summary>
    LocalFolder,

    /// <summary>An S3-compatible object store (MinIO, AWS S3, ...): for a cluster.</summary>
    S3,
}

namespace TaskQueue.Silo.Results;

/// <summary>The S3-compatible result store. Section <c>TaskQueue:Results:S3</c>.</summary>
public sealed class S3ResultStoreOptions
{
    public const string SectionName = ResultStoreOptions.SectionName + ":S3";

    /// <summary>
    /// The server's host and optional port, without a scheme (<c>minio:9000</c>, <c>s3.eu-west-1.amazonaws.com</c>).
    /// Required; no default. Whether TLS is used is <see cref="UseTls"/>'s business.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The bucket that holds the results. Required; no default.</summary>
    public string? Bucket { get; set; }

    /// <summary>The access key (user name). Required; no default.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key (password). Required; no default. Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The region requests are signed for. Default <c>us-east-1</c>, which MinIO accepts.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Speak HTTPS to the server. Default <c>true</c>.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>
    /// Allows <see cref="UseTls"/> = <c>false</c> in the Production environment, where plain HTTP otherwise fails
    /// validation: set it only when the network between the silos and the store is private. Default <c>false</c>.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Creates the bucket at start when it does not exist. Default <c>false</c>.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>
    /// What every result's key starts with; the task id follows (<c>results/0198...</c>). Default <c>results/</c>.
    /// Letters, digits and <c>/ . _ -</c> only; empty is allowed.
    /// </summary>
    public string KeyPrefix { get; set; } = "results/";

    /// <summary>
    /// How long one request may take until the server's response headers arrive (one part of an upload, or the
    /// start of a download; a download's body streams for as long as the reader reads). Default 2 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

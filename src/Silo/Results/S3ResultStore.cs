using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

/// <summary>
/// Results as objects in an S3-compatible store, through the Minio client: key <c>{KeyPrefix}{taskId}</c>, the
/// media type as the object's Content-Type. S3 replaces an object atomically, so a reader sees the old result or
/// the new one; a put that fails never completes its upload, so it leaves no object behind.
/// </summary>
public sealed partial class S3ResultStore : IResultStore, IResultStoreInitializer, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly S3ResultStoreOptions _options;
    private readonly ILogger<S3ResultStore> _logger;
    private readonly HttpClient _httpClient;
    private readonly IMinioClient _client;
    private readonly string _bucket;
    private readonly Lock _readyLock = new();
    private Task? _ready;

    public S3ResultStore(S3ResultStoreOptions options, ILogger<S3ResultStore> logger)
        : this(
            options,
            logger,
            new SocketsHttpHandler
            {
                ConnectTimeout = ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
    {
    }

    /// <summary>Lets tests watch the requests the store sends.</summary>
    internal S3ResultStore(S3ResultStoreOptions options, ILogger<S3ResultStore> logger, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _bucket = options.Bucket ?? throw new ArgumentException("The bucket is required.", nameof(options));
        EndpointUrl = $"{(options.UseTls ? "https" : "http")}://{options.Endpoint}";
        _httpClient = new HttpClient(handler);
        _client = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithRegion(options.Region)
            .WithSSL(options.UseTls)
            .WithHttpClient(_httpClient)
            .Build();

        // Build() sets its own 30 minutes; ours bounds each request until the response headers arrive.
        _httpClient.Timeout = options.RequestTimeout;
    }

    /// <summary>The server's address as the store speaks to it, for messages.</summary>
    public string EndpointUrl { get; }

    /// <summary>
    /// Checks that the bucket is there (creating it when <see cref="S3ResultStoreOptions.CreateBucket"/> says so)
    /// and throws <see cref="InvalidOperationException"/> saying which setting to fix when it is not usable. Every
    /// operation waits for this check; a failed check is tried again by the next operation.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => EnsureReadyAsync(cancellationToken);

    public async Task DeleteAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        await _client.RemoveObjectAsync(
            new RemoveObjectArgs().WithBucket(_bucket).WithObject(Key(taskId)),
            cancellationToken);
        _logger.ResultDeleted(taskId);
    }

    public void Dispose()
    {
        _client.Dispose();
        _httpClient.Dispose();
    }

    private string Key(Guid taskId) => _options.KeyPrefix + taskId.ToString("D");

    private Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_readyLock)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = CheckBucketAsync();
            }

            ready = _ready;
        }

        return ready.WaitAsync(cancellationToken);
    }

    // Runs under its own deadline, not a caller's token: every caller shares its outcome.
    private async Task CheckBucketAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        bool exists;
        try
        {
            exists = await BucketExistsAsync(deadline.Token);
        }
        catch (Exception exception)
        {
            throw NotUsable(Explain(exception, deadline.IsCancellationRequested), exception);
        }

        if (!exists && !_options.CreateBucket)
        {
            throw NotUsable(
                $"the bucket '{_bucket}' does not exist at {EndpointUrl}. Create it, or let TaskQueue create it "
                + $"with {ResultStoreOptionsValidator.Describe("S3:CreateBucket")} = true; check "
                + $"{ResultStoreOptionsValidator.Describe("S3:Bucket")}.",
                null);
        }

        if (!exists)
        {
            try
            {
                await CreateBucketAsync(deadline.Token);
            }
            catch (Exception exception)
            {
                throw NotUsable(Explain(exception, deadline.IsCancellationRequested), exception);
            }
        }

        _logger.S3Ready(_bucket, EndpointUrl);
    }

    private async Task<bool> BucketExistsAsync(CancellationToken cancellationToken) =>
        await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken);

    private async Task CreateBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket), cancellationToken);
            _logger.S3BucketCreated(_bucket, EndpointUrl);
        }
        catch (MinioException)
        {
            // Another silo may have created it at the same moment, which is what we wanted.
            if (!await BucketExistsAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    private string Explain(Exception exception, bool timedOut)
    {
        var endpoint = ResultStoreOptionsValidator.Describe("S3:Endpoint");
        var tls = ResultStoreOptionsValidator.Describe("S3:UseTls");
        return exception switch
        {
            OperationCanceledException when timedOut =>
                $"{EndpointUrl} did not answer within {StartTimeout.TotalSeconds:0} seconds. Check {endpoint}, "
                + $"{tls} and that the server is running.",
            HttpRequestException or ConnectionException =>
                $"cannot reach {EndpointUrl} ({exception.Message}). Check {endpoint}, {tls} and that the server "
                + "is running.",
            AuthorizationException or AccessDeniedException or ForbiddenException =>
                $"{EndpointUrl} refused the credentials for bucket '{_bucket}' ({exception.Message}). Check "
                + $"{ResultStoreOptionsValidator.Describe("S3:AccessKey")}, "
                + $"{ResultStoreOptionsValidator.Describe("S3:SecretKey")} and "
                + $"{ResultStoreOptionsValidator.Describe("S3:Region")}.",
            _ =>
                $"{EndpointUrl} answered the check of bucket '{_bucket}' with an error ({exception.GetType().Name}: "
                + $"{exception.Message}). Check {endpoint}, {ResultStoreOptionsValidator.Describe("S3:Bucket")} "
                + "and the credentials.",
        };
    }

    private InvalidOperationException NotUsable(string problem, Exception? cause)
    {
        _logger.S3NotUsable(problem, cause);
        return new InvalidOperationException($"The S3 result store is not usable: {problem}", cause);
    }
}

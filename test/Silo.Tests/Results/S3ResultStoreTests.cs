using Minio;
using Minio.DataModel.Args;
using TaskQueue.Grains.Results;
using TaskQueue.Silo.Results;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.S3;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>
/// The result store contract against a real S3 server (s3rver, one per collection; a fresh bucket per test), plus
/// what only S3 can get wrong: keys, Content-Type, the bucket check at start.
/// </summary>
[Collection(S3rverGroup.Name)]
public sealed class S3ResultStoreTests(S3rverFixture s3rver) : ResultStoreContract
{
    private readonly string _bucket = $"results-{Guid.NewGuid():N}";

    [Fact]
    public async Task Put_Stored_ObjectHasPrefixedKeyAndContentType()
    {
        var taskId = Guid.NewGuid();

        await Store.PutAsync(taskId, new MemoryStream(Bytes(2_000, seed: 1)), SbomMediaType, 10_000, Token);

        using var client = RawClient();
        var stat = await client.StatObjectAsync(
            new StatObjectArgs().WithBucket(_bucket).WithObject($"results/{taskId:D}"),
            Token);
        Assert.Equal(2_000, stat.Size);
        Assert.Equal(SbomMediaType, stat.ContentType);
    }

    [Fact]
    public async Task Put_OtherKeyPrefix_ObjectsLiveUnderIt()
    {
        using var store = NewStore(options => options.KeyPrefix = "tenant-a/sboms/");
        var taskId = Guid.NewGuid();

        await store.PutAsync(taskId, new MemoryStream(Bytes(10, seed: 2)), SbomMediaType, 100, Token);

        using var client = RawClient();
        var stat = await client.StatObjectAsync(
            new StatObjectArgs().WithBucket(_bucket).WithObject($"tenant-a/sboms/{taskId:D}"),
            Token);
        Assert.Equal(10, stat.Size);
        await AssertNothingStoredAsync(taskId);
    }

    [Fact]
    public async Task Put_UnderFiveMebibytes_SendsOnePut()
    {
        var (store, requests) = await NewRecordedStoreAsync();
        using var owned = store;
        var taskId = Guid.NewGuid();

        await store.PutAsync(taskId, new UnknownLengthStream(Bytes(100_000, seed: 4)), SbomMediaType, Mebibyte, Token);

        Assert.Equal([$"PUT /{_bucket}/results/{taskId:D}"], requests.Requests);
    }

    [Fact]
    public async Task Put_OverFiveMebibytes_UploadsInParts()
    {
        var (store, requests) = await NewRecordedStoreAsync();
        using var owned = store;
        var taskId = Guid.NewGuid();

        await store.PutAsync(
            taskId,
            new UnknownLengthStream(Bytes((20 * Mebibyte) + 1, seed: 5)),
            SbomMediaType,
            64 * Mebibyte,
            Token);

        // Initiate, two 16 MiB parts (the Minio client's part size for unknown lengths), complete.
        var sent = requests.Requests;
        Assert.Equal(4, sent.Count);
        Assert.StartsWith($"POST /{_bucket}/results/{taskId:D}?uploads", sent[0], StringComparison.Ordinal);
        Assert.All(sent.Skip(1).Take(2), r => Assert.Contains("partNumber=", r, StringComparison.Ordinal));
        Assert.StartsWith($"POST /{_bucket}/results/{taskId:D}?uploadId=", sent[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_OverLimitBelowFiveMebibytes_SendsNothing()
    {
        var (store, requests) = await NewRecordedStoreAsync();
        using var owned = store;

        await Assert.ThrowsAsync<ResultTooLargeException>(() => store.PutAsync(
            Guid.NewGuid(),
            new UnknownLengthStream(Bytes(2 * Mebibyte, seed: 6)),
            SbomMediaType,
            Mebibyte,
            Token));

        Assert.Empty(requests.Requests);
    }

    [Fact]
    public async Task Open_LargeResultReadSlowly_DownloadsOnlyALittleAheadOfTheReader()
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(24 * Mebibyte, seed: 7);
        await Store.PutAsync(taskId, new MemoryStream(content), SbomMediaType, 32 * Mebibyte, Token);
        var (store, requests) = await NewRecordedStoreAsync();
        using var owned = store;

        await using var opened = await store.OpenAsync(taskId, Token);
        Assert.NotNull(opened);
        var read = new MemoryStream();
        await CopyAsync(opened.Content, read, Mebibyte);
        var downloaded = await SettledAsync(() => requests.ResponseBodyBytesRead);

        // What the reader took, the pipe's pause threshold (1 MiB) and a chunk in flight; not the object.
        Assert.InRange(downloaded, Mebibyte, 3 * Mebibyte);
        await opened.Content.CopyToAsync(read, Token);
        Assert.Equal(Sha256(content), Sha256(read.ToArray()));
        Assert.Equal("GET", requests.Requests[^1].Split(' ')[0]);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{downloaded} bytes downloaded after reading 1 MiB; requests: {string.Join(", ", requests.Requests)}");
    }

    [Fact]
    public async Task Initialize_BucketMissingAndNotToBeCreated_ThrowsNamingTheSettings()
    {
        using var store = NewStore(options =>
        {
            options.Bucket = $"missing-{Guid.NewGuid():N}";
            options.CreateBucket = false;
        });

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Token));

        Assert.Contains("does not exist", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__CreateBucket", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_NothingListening_ThrowsNamingTheEndpointSetting()
    {
        var unusedPort = FreePort.Next();
        using var store = NewStore(options => options.Endpoint = $"127.0.0.1:{unusedPort}");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Token));

        Assert.Contains($"http://127.0.0.1:{unusedPort}", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Results__S3__Endpoint", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_BeforeInitialize_ChecksTheBucketFirst()
    {
        using var store = NewStore(options => options.Bucket = $"lazy-{Guid.NewGuid():N}");
        var taskId = Guid.NewGuid();

        var stored = await store.PutAsync(taskId, new MemoryStream(Bytes(10, seed: 3)), "text/plain", 100, Token);

        Assert.Equal(10, stored.SizeBytes);
    }

    protected override async ValueTask<IResultStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = NewStore(_ => { });
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    protected override ValueTask DisposeStoreAsync(IResultStore store)
    {
        ((S3ResultStore)store).Dispose();
        return ValueTask.CompletedTask;
    }

    private S3ResultStore NewStore(Action<S3ResultStoreOptions> adjust) =>
        new(Options(adjust), new TestOutputLogger<S3ResultStore>());

    private S3ResultStoreOptions Options(Action<S3ResultStoreOptions> adjust)
    {
        var server = s3rver.Server;
        var options = new S3ResultStoreOptions
        {
            Endpoint = server.Endpoint,
            Bucket = _bucket,
            AccessKey = S3rverServer.AccessKey,
            SecretKey = S3rverServer.SecretKey,
            UseTls = false,
            CreateBucket = true,
        };
        adjust(options);
        return options;
    }

    private async Task CopyAsync(Stream source, Stream destination, int bytes)
    {
        var buffer = new byte[16 * 1024];
        for (var left = bytes; left > 0;)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, left)), Token);
            Assert.NotEqual(0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), Token);
            left -= read;
        }
    }

    /// <summary>The value once it stops changing for a while (the download has paused).</summary>
    private async Task<long> SettledAsync(Func<long> value)
    {
        var last = value();
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(50, Token);
            var now = value();
            if (now == last && i >= 4)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private async Task<(S3ResultStore Store, RecordingHandler Requests)> NewRecordedStoreAsync()
    {
        var requests = new RecordingHandler();
        var store = new S3ResultStore(Options(_ => { }), new TestOutputLogger<S3ResultStore>(), requests);
        await store.InitializeAsync(Token);
        requests.Clear();
        return (store, requests);
    }

    private IMinioClient RawClient() =>
        new MinioClient()
            .WithEndpoint(s3rver.Server.Endpoint)
            .WithCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey)
            .WithSSL(false)
            .Build();
}

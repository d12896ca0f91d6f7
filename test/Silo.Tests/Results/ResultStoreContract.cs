using System.Security.Cryptography;
using TaskQueue.Grains.Results;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>
/// What every <see cref="IResultStore"/> promises, run against each implementation by a subclass that makes a
/// fresh, empty, initialised store for every test.
/// </summary>
public abstract class ResultStoreContract : IAsyncLifetime
{
    protected const string SbomMediaType = "application/vnd.cyclonedx+json";
    protected const int Mebibyte = 1024 * 1024;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(90);
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private IResultStore? _store;

    protected ResultStoreContract()
    {
        _timeout.CancelAfter(TestTimeout);
    }

    /// <summary>Cancelled when the test runs too long or the run is cancelled.</summary>
    protected CancellationToken Token => _timeout.Token;

    protected IResultStore Store => _store ?? throw new InvalidOperationException("The store was not created.");

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(Token);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }

        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Put_ThenOpen_ReturnsSameBytesSizeMediaTypeAndHash()
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(100_000, seed: 1);

        var stored = await Store.PutAsync(taskId, new MemoryStream(content), SbomMediaType, 1_000_000, Token);

        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.Equal(Sha256(content), stored.Sha256);
        await AssertStoredAsync(taskId, content, SbomMediaType);
    }

    [Fact]
    public async Task Put_Twice_SecondReplacesFirst()
    {
        var taskId = Guid.NewGuid();
        await Store.PutAsync(taskId, new MemoryStream(Bytes(50_000, seed: 2)), SbomMediaType, Mebibyte, Token);
        var second = Bytes(1_234, seed: 3);

        var stored = await Store.PutAsync(
            taskId,
            new MemoryStream(second),
            "text/plain; charset=utf-8",
            Mebibyte,
            Token);

        Assert.Equal(Sha256(second), stored.Sha256);
        await AssertStoredAsync(taskId, second, "text/plain; charset=utf-8");
    }

    [Fact]
    public async Task Open_Missing_ReturnsNull()
    {
        await using var opened = await Store.OpenAsync(Guid.NewGuid(), Token);

        Assert.Null(opened);
    }

    [Fact]
    public async Task Delete_Stored_OpenReturnsNull()
    {
        var taskId = Guid.NewGuid();
        await Store.PutAsync(taskId, new MemoryStream(Bytes(10, seed: 4)), SbomMediaType, 100, Token);

        await Store.DeleteAsync(taskId, Token);

        await AssertNothingStoredAsync(taskId);
    }

    [Fact]
    public async Task Delete_Missing_DoesNothing()
    {
        var taskId = Guid.NewGuid();

        await Store.DeleteAsync(taskId, Token);

        await AssertNothingStoredAsync(taskId);
    }

    [Fact]
    public async Task Put_EmptyContent_IsStored()
    {
        var taskId = Guid.NewGuid();

        var stored = await Store.PutAsync(taskId, new MemoryStream(), "application/json", 100, Token);

        Assert.Equal(0, stored.SizeBytes);
        Assert.Equal(Sha256([]), stored.Sha256);
        await AssertStoredAsync(taskId, [], "application/json");
    }

    [Theory]
    [InlineData(4_096)]
    [InlineData(6 * Mebibyte)]
    public async Task Put_ExactlyAtLimit_IsStored(int limit)
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(limit, seed: 5);

        var stored = await Store.PutAsync(taskId, new UnknownLengthStream(content), SbomMediaType, limit, Token);

        Assert.Equal(limit, stored.SizeBytes);
        await AssertStoredAsync(taskId, content, SbomMediaType);
    }

    // 5 MiB is where the S3 store switches from one PUT to a multipart upload.
    [Theory]
    [InlineData((5 * Mebibyte) - 1)]
    [InlineData(5 * Mebibyte)]
    [InlineData((5 * Mebibyte) + 1)]
    public async Task Put_AroundFiveMebibytes_IsStoredWhole(int length)
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(length, seed: 15);

        var stored = await Store.PutAsync(taskId, new UnknownLengthStream(content), SbomMediaType, length, Token);

        Assert.Equal(Sha256(content), stored.Sha256);
        await AssertStoredAsync(taskId, content, SbomMediaType);
    }

    [Theory]
    [InlineData(4_096)]
    [InlineData(6 * Mebibyte)]
    public async Task Put_OneByteOverLimit_ThrowsTooLargeAndStoresNothing(int limit)
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(limit + 1, seed: 6);

        var thrown = await Assert.ThrowsAsync<ResultTooLargeException>(
            () => Store.PutAsync(taskId, new UnknownLengthStream(content), SbomMediaType, limit, Token));

        Assert.Equal(limit, thrown.MaxBytes);
        await AssertNothingStoredAsync(taskId);
    }

    [Fact]
    public async Task Put_OverLimitOverEarlierResult_KeepsEarlierResult()
    {
        var taskId = Guid.NewGuid();
        var earlier = Bytes(500, seed: 7);
        await Store.PutAsync(taskId, new MemoryStream(earlier), SbomMediaType, 1_000, Token);

        await Assert.ThrowsAsync<ResultTooLargeException>(
            () => Store.PutAsync(taskId, new MemoryStream(Bytes(1_001, seed: 8)), "text/plain", 1_000, Token));

        await AssertStoredAsync(taskId, earlier, SbomMediaType);
    }

    [Fact]
    public async Task Put_UnknownLengthStream_IsStoredWhole()
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(300_001, seed: 9);

        var stored = await Store.PutAsync(taskId, new UnknownLengthStream(content), SbomMediaType, Mebibyte, Token);

        Assert.Equal(Sha256(content), stored.Sha256);
        await AssertStoredAsync(taskId, content, SbomMediaType);
    }

    [Fact]
    public async Task Put_LargerThanFiveMebibytes_IsStoredWhole()
    {
        var taskId = Guid.NewGuid();
        var content = Bytes((12 * Mebibyte) + 7, seed: 10);

        var stored = await Store.PutAsync(
            taskId,
            new UnknownLengthStream(content),
            SbomMediaType,
            64 * Mebibyte,
            Token);

        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.Equal(Sha256(content), stored.Sha256);
        await AssertStoredAsync(taskId, content, SbomMediaType);
    }

    [Fact]
    public async Task Put_ManyTasksAtOnce_EachKeepsItsOwnResult()
    {
        var contents = Enumerable.Range(0, 16)
            .Select(i => (TaskId: Guid.NewGuid(), Content: Bytes(20_000 + (i * 9_973), seed: 100 + i)))
            .ToList();

        var stored = await Task.WhenAll(contents.Select(c => Store.PutAsync(
            c.TaskId,
            new UnknownLengthStream(c.Content, seed: c.Content.Length),
            "text/plain",
            Mebibyte,
            Token)));

        Assert.Equal(contents.Select(c => Sha256(c.Content)), stored.Select(s => s.Sha256));
        foreach (var (taskId, content) in contents)
        {
            await AssertStoredAsync(taskId, content, "text/plain");
        }
    }

    [Theory]
    [InlineData(Mebibyte)]
    [InlineData(6 * Mebibyte)]
    public async Task Put_CancelledWhileContentArrives_ThrowsAndStoresNothing(int bytesBeforeStall)
    {
        var taskId = Guid.NewGuid();
        var source = new InterruptedStream(Bytes(bytesBeforeStall, seed: 11));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var put = Store.PutAsync(taskId, source, SbomMediaType, 64 * Mebibyte, cancel.Token);
        await source.Interrupted.WaitAsync(Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        await AssertNothingStoredAsync(taskId);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(6 * Mebibyte)]
    public async Task Put_ContentBreaksOff_RethrowsAndStoresNothing(int bytesBeforeFailure)
    {
        var taskId = Guid.NewGuid();
        var failure = new IOException("The connection was reset by the peer.");
        var source = new InterruptedStream(Bytes(bytesBeforeFailure, seed: 12), failure);

        var thrown = await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync(taskId, source, SbomMediaType, 64 * Mebibyte, Token));

        Assert.Same(failure, thrown);
        await AssertNothingStoredAsync(taskId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("text/plain\r\nX-Injected: yes")]
    [InlineData("not a media type")]
    [InlineData("text/plain; name=\"caf\u00e9\"")]
    public async Task Put_InvalidMediaType_ThrowsArgumentAndStoresNothing(string mediaType)
    {
        var taskId = Guid.NewGuid();

        await Assert.ThrowsAsync<ArgumentException>(
            () => Store.PutAsync(taskId, new MemoryStream(Bytes(10, seed: 13)), mediaType, 100, Token));

        await AssertNothingStoredAsync(taskId);
    }

    [Fact]
    public async Task Open_DisposedBeforeReading_ResultStaysReadableAndDeletable()
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(3 * Mebibyte, seed: 14);
        await Store.PutAsync(taskId, new MemoryStream(content), SbomMediaType, 4 * Mebibyte, Token);

        for (var i = 0; i < 5; i++)
        {
            var abandoned = await Store.OpenAsync(taskId, Token);
            Assert.NotNull(abandoned);
            await abandoned.DisposeAsync();
        }

        await AssertStoredAsync(taskId, content, SbomMediaType);
        await Store.DeleteAsync(taskId, Token);
        await AssertNothingStoredAsync(taskId);
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A fresh, empty store, initialised as the host would at start.</summary>
    protected abstract ValueTask<IResultStore> CreateStoreAsync(CancellationToken cancellationToken);

    protected abstract ValueTask DisposeStoreAsync(IResultStore store);

    protected async Task AssertStoredAsync(Guid taskId, byte[] expected, string mediaType)
    {
        await using var opened = await Store.OpenAsync(taskId, Token);

        Assert.NotNull(opened);
        Assert.Equal(expected.Length, opened.SizeBytes);
        Assert.Equal(mediaType, opened.MediaType);
        using var read = new MemoryStream();
        await opened.Content.CopyToAsync(read, Token);
        Assert.Equal(expected.Length, read.Length);
        Assert.Equal(Sha256(expected), Sha256(read.ToArray()));
    }

    protected async Task AssertNothingStoredAsync(Guid taskId)
    {
        await using var opened = await Store.OpenAsync(taskId, Token);
        Assert.Null(opened);
    }
}

using System.Text;
using TaskQueue.Grains.Results;
using TaskQueue.Silo.Results;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>The result store contract on a real folder, plus what only a folder can get wrong.</summary>
public sealed class LocalFolderResultStoreTests : ResultStoreContract
{
    private readonly string _folder = Path.Combine(
        Path.GetTempPath(),
        "taskqueue-results-tests",
        Guid.NewGuid().ToString("N"),
        "results");

    [Fact]
    public async Task Put_Stored_FolderHoldsOneFileNamedAfterTheTask()
    {
        var taskId = Guid.NewGuid();

        await Store.PutAsync(taskId, new MemoryStream(Bytes(100, seed: 1)), SbomMediaType, 1_000, Token);

        Assert.Equal([$"{taskId:D}.result"], FileNames());
    }

    [Fact]
    public async Task Put_FailedOrCancelled_LeavesNoTemporaryFile()
    {
        await Assert.ThrowsAsync<ResultTooLargeException>(() => Store.PutAsync(
            Guid.NewGuid(),
            new MemoryStream(Bytes(2_000, seed: 2)),
            SbomMediaType,
            1_000,
            Token));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync(
            Guid.NewGuid(),
            new MemoryStream(Bytes(2_000, seed: 3)),
            SbomMediaType,
            10_000,
            cancelled.Token));

        Assert.Empty(FileNames());
    }

    [Fact]
    public async Task Put_Stored_FileIsReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not exist on Windows.");
            return;
        }

        var taskId = Guid.NewGuid();

        await Store.PutAsync(taskId, new MemoryStream(Bytes(10, seed: 4)), SbomMediaType, 100, Token);

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_folder, $"{taskId:D}.result")));
    }

    [Fact]
    public async Task Open_Stored_ContentSeeksWithinTheResultOnly()
    {
        var taskId = Guid.NewGuid();
        var content = Bytes(1_000, seed: 5);
        await Store.PutAsync(taskId, new MemoryStream(content), SbomMediaType, 1_000, Token);

        await using var opened = await Store.OpenAsync(taskId, Token);

        Assert.NotNull(opened);
        Assert.True(opened.Content.CanSeek);
        Assert.Equal(1_000, opened.Content.Length);
        Assert.Equal(0, opened.Content.Position);
        opened.Content.Seek(-10, SeekOrigin.End);
        var tail = new byte[20];
        var read = await opened.Content.ReadAsync(tail, Token);
        Assert.Equal(content[^10..], tail[..read]);
    }

    [Fact]
    public async Task Open_FileWithoutHeader_ThrowsInvalidData()
    {
        var taskId = Guid.NewGuid();
        await File.WriteAllTextAsync(Path.Combine(_folder, $"{taskId:D}.result"), "{\"a\": 1}", Token);

        await Assert.ThrowsAsync<InvalidDataException>(() => Store.OpenAsync(taskId, Token));
    }

    [Fact]
    public async Task Open_HeaderWithForgedMediaType_ThrowsInvalidData()
    {
        var taskId = Guid.NewGuid();
        await File.WriteAllBytesAsync(
            Path.Combine(_folder, $"{taskId:D}.result"),
            Encoding.UTF8.GetBytes("taskqueue-result 1\ntext/html\u0007bell\nbody"),
            Token);

        await Assert.ThrowsAsync<InvalidDataException>(() => Store.OpenAsync(taskId, Token));
    }

    [Fact]
    public async Task Initialize_FolderMissing_CreatesIt()
    {
        var folder = Path.Combine(_folder, "deeper", "still");
        var store = new LocalFolderResultStore(
            new LocalFolderResultStoreOptions { Path = folder },
            new TestOutputLogger<LocalFolderResultStore>(),
            TimeProvider.System);

        await store.InitializeAsync(Token);

        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public async Task Initialize_TemporaryFilesLeftByACrash_RemovesOnlyStaleOnes()
    {
        var stale = Path.Combine(_folder, $".{Guid.NewGuid():D}.{Guid.NewGuid():N}.tmp");
        var fresh = Path.Combine(_folder, $".{Guid.NewGuid():D}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(stale, "half a result", Token);
        await File.WriteAllTextAsync(fresh, "a put in progress", Token);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        await ((LocalFolderResultStore)Store).InitializeAsync(Token);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    protected override async ValueTask<IResultStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new LocalFolderResultStore(
            new LocalFolderResultStoreOptions { Path = _folder },
            new TestOutputLogger<LocalFolderResultStore>(),
            TimeProvider.System);
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    protected override ValueTask DisposeStoreAsync(IResultStore store)
    {
        Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
        return ValueTask.CompletedTask;
    }

    private string[] FileNames() =>
        [.. Directory.EnumerateFiles(_folder).Select(path => Path.GetFileName(path)!).Order()];
}

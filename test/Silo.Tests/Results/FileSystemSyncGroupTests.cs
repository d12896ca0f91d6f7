using TaskQueue.Silo.Results;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>
/// How result puts share flushes: a caller never rides on a flush that began before it asked, and everyone who
/// asks during one flush shares the next. The flush is a stand-in the test holds open, so the grouping is seen
/// exactly; one test runs the real syncfs on a temporary folder.
/// </summary>
public sealed class FileSystemSyncGroupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Flush_CallsDuringAFlush_WaitForTheNextOneAndShareIt()
    {
        var flushes = 0;
        using var firstMayEnd = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        var group = new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstStarted.Set();
                firstMayEnd.Wait(Bound, TestContext.Current.CancellationToken);
            }
        });

        var first = group.FlushAsync();
        Assert.True(firstStarted.Wait(Bound, TestContext.Current.CancellationToken));
        var second = group.FlushAsync();
        var third = group.FlushAsync();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted, "A call made during a flush was served by that flush.");
        firstMayEnd.Set();
        await Task.WhenAll(first, second, third).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(2, flushes);
    }

    [Fact]
    public async Task Flush_FlushFails_ItsCallersSeeTheErrorAndTheNextFlushRuns()
    {
        var flushes = 0;
        var group = new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                throw new IOException("disk gone");
            }
        });

        var failed = await Assert.ThrowsAsync<IOException>(() => group.FlushAsync().WaitAsync(Bound, TestContext.Current.CancellationToken));
        await group.FlushAsync().WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal("disk gone", failed.Message);
        Assert.Equal(2, flushes);
    }

    [Fact]
    public async Task Flush_ManyCallersDuringOneFlush_AllShareTheNextOne()
    {
        var flushes = 0;
        using var firstMayEnd = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        var group = new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstStarted.Set();
                firstMayEnd.Wait(Bound, TestContext.Current.CancellationToken);
            }
        });

        var first = group.FlushAsync();
        Assert.True(firstStarted.Wait(Bound, TestContext.Current.CancellationToken));
        var waiting = await Task.WhenAll(Enumerable.Range(0, 199).Select(_ => Task.Factory.StartNew(group.FlushAsync, TestContext.Current.CancellationToken, TaskCreationOptions.None, TaskScheduler.Default)))
            .WaitAsync(Bound, TestContext.Current.CancellationToken);
        firstMayEnd.Set();
        await Task.WhenAll([first, .. waiting]).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(2, flushes);
    }

    [Fact]
    public async Task Flush_RealFolder_SyncsItsFileSystem()
    {
        Assert.SkipUnless(FileSystemSyncGroup.IsSupported, "syncfs is Linux only; elsewhere puts flush each file and folder.");
        var folder = Directory.CreateTempSubdirectory("taskqueue-syncfs-").FullName;
        try
        {
            await new FileSystemSyncGroup(folder).FlushAsync().WaitAsync(Bound, TestContext.Current.CancellationToken);
            var missing = new FileSystemSyncGroup(Path.Combine(folder, "missing"));

            var error = await Assert.ThrowsAsync<IOException>(() => missing.FlushAsync().WaitAsync(Bound, TestContext.Current.CancellationToken));

            Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

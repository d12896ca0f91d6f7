namespace TaskQueue.Silo.Results;

/// <summary>
/// Makes many puts durable with one flush of the whole file system (syncfs(2), Linux), the way the embedded task
/// store commits many records with one fsync. A caller renames its file into place, then waits for a flush that
/// started after it asked: the flush in progress may have begun before its rename, so it waits for the next one,
/// which serves everyone who arrived meanwhile. Under load that is one flush for a batch of results instead of two
/// fsyncs (file and folder) for each, which measured as the largest cost of a task on a virtual machine's disk.
/// </summary>
internal sealed class FileSystemSyncGroup
{
    private readonly object _gate = new();
    private readonly Action _flush;
    private bool _flushing;
    private TaskCompletionSource? _next;

    /// <summary>A group flushing the file system that holds <paramref name="folder"/>.</summary>
    public FileSystemSyncGroup(string folder)
        : this(() => DirectorySync.FlushFileSystem(folder))
    {
    }

    /// <summary>A group running <paramref name="flush"/>, for tests that need to see how calls are grouped.</summary>
    internal FileSystemSyncGroup(Action flush) => _flush = flush;

    /// <summary>Whether this system can flush a whole file system through one of its folders.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Completes once a flush that started after this call has finished; faults if that flush failed.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_flushing)
            {
                _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _next.Task;
            }

            _flushing = true;
        }

        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => FlushInTurns(first));
        return first.Task;
    }

    /// <summary>Flushes for one group of callers, then for those who arrived during it, until nobody waits.</summary>
    private void FlushInTurns(TaskCompletionSource waiters)
    {
        while (true)
        {
            try
            {
                _flush();
                waiters.SetResult();
            }
            catch (Exception e)
            {
                waiters.SetException(e);
            }

            lock (_gate)
            {
                if (_next is null)
                {
                    _flushing = false;
                    return;
                }

                waiters = _next;
                _next = null;
            }
        }
    }
}

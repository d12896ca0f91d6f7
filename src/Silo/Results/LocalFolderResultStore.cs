using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

/// <summary>
/// Results as files in one folder: <c>{taskId}.result</c>, in the format of <see cref="ResultFileFormat"/>. A put
/// writes a temporary file in the same folder, renames it over the old result and returns once both are on disk:
/// a reader sees the old result or the new one, never a part, and a crash loses nothing acknowledged. On Linux
/// concurrent puts share one flush of the file system (<see cref="FileSystemSyncGroup"/>); elsewhere each put
/// flushes its file before the rename and the folder after it. File names come from the task's Guid alone.
/// </summary>
/// <remarks>
/// A crash between the rename and the flush can leave a damaged file under the final name; no task was told it
/// succeeded with it, and the attempt that runs again replaces it.
/// </remarks>
public sealed class LocalFolderResultStore : IResultStore, IResultStoreInitializer
{
    private const string ResultExtension = ".result";
    private const string TemporaryExtension = ".tmp";
    private const int CopyBufferBytes = 128 * 1024;

    // A put in progress writes continuously; a temporary file this old was left by a process that died.
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);

    private readonly ILogger<LocalFolderResultStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly FileSystemSyncGroup? _syncGroup;

    public LocalFolderResultStore(
        LocalFolderResultStoreOptions options,
        ILogger<LocalFolderResultStore> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        Folder = Path.GetFullPath(options.Path);
        _syncGroup = FileSystemSyncGroup.IsSupported ? new FileSystemSyncGroup(Folder) : null;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>The full path of the folder that holds the results.</summary>
    public string Folder { get; }

    /// <summary>Creates the folder and removes temporary files that a crashed process left behind.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        CreateFolder();
        var cutoff = _timeProvider.GetUtcNow().UtcDateTime - StaleTemporaryAge;
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(Folder, "*" + TemporaryExtension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(path).StartsWith('.') && File.GetLastWriteTimeUtc(path) < cutoff
                && TryDelete(path))
            {
                removed++;
            }
        }

        if (removed > 0)
        {
            _logger.StaleTemporaryFilesRemoved(removed);
        }

        _logger.LocalFolderReady(Folder);
        return Task.CompletedTask;
    }

    public async Task<StoredResult> PutAsync(
        Guid taskId,
        Stream content,
        string mediaType,
        long maxBytes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ResultMediaType.Validate(mediaType, nameof(mediaType));
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        // Someone may have removed the folder since start; recreating it costs one system call.
        CreateFolder();
        var temporaryPath = Path.Combine(Folder, $".{taskId:D}.{Guid.NewGuid():N}{TemporaryExtension}");
        try
        {
            StoredResult stored;
            var file = new FileStream(temporaryPath, TemporaryFileOptions());
            await using (file)
            {
                await using var source = new LimitedHashingStream(content, maxBytes, cancellationToken);
                await file.WriteAsync(ResultFileFormat.Header(mediaType), cancellationToken);
                await source.CopyToAsync(file, CopyBufferBytes, cancellationToken);
                await file.FlushAsync(cancellationToken);
                if (_syncGroup is null)
                {
                    // On disk before it becomes visible: after a crash the rename must not point at missing data.
                    file.Flush(flushToDisk: true);
                }

                stored = new StoredResult(source.BytesRead, source.Sha256Hex());
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporaryPath, ResultPath(taskId), overwrite: true);
            if (_syncGroup is null)
            {
                DirectorySync.Flush(Folder);
            }
            else
            {
                // The file and its new name, with every other put's since the last flush.
                await _syncGroup.FlushAsync();
            }

            _logger.ResultStored(taskId, stored.SizeBytes);
            return stored;
        }
        catch (Exception exception)
        {
            TryDelete(temporaryPath);
            _logger.PutFailed(taskId, exception, cancellationToken);
            throw;
        }
    }

    public async Task<ResultContent?> OpenAsync(Guid taskId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = ResultPath(taskId);
        FileStream file;
        try
        {
            // Delete sharing lets a new result replace this one (and Delete remove it) while a reader streams it.
            file = new FileStream(
                path,
                new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                });
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var header = await ResultFileFormat.ReadHeaderAsync(file, cancellationToken);
            if (header is not { } found)
            {
                _logger.ResultFileUnreadable(taskId, path);
                throw new InvalidDataException(
                    $"The result file {path} of task {taskId} does not start with a TaskQueue result header.");
            }

            var stream = new ResultFileContentStream(file, found.Length);
            return new ResultContent(stream, stream.Length, found.MediaType);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public Task DeleteAsync(Guid taskId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = ResultPath(taskId);
        if (!File.Exists(path))
        {
            return Task.CompletedTask;
        }

        File.Delete(path);
        DirectorySync.Flush(Folder);
        _logger.ResultDeleted(taskId);
        return Task.CompletedTask;
    }

    private static FileStreamOptions TemporaryFileOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Results are the users' data: readable by the service's own account only.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private string ResultPath(Guid taskId) => Path.Combine(Folder, taskId.ToString("D") + ResultExtension);

    private void CreateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
        }
        else
        {
            Directory.CreateDirectory(
                Folder,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _logger.TemporaryFileNotRemoved(path, exception);
            return false;
        }
    }
}

using System.IO.Pipelines;

namespace TaskQueue.Silo.Results;

/// <summary>
/// An object being downloaded, as a stream the caller reads at its own pace. The Minio client hands an object's
/// body only to a callback and closes it when the callback returns, so a pump copies the body into a pipe while
/// the caller reads the other end. The pipe holds at most about a mebibyte: when the reader is slow the pump
/// waits and the HTTP connection's flow control slows the server. Disposing the stream stops the download.
/// </summary>
internal sealed class S3ObjectReadStream : Stream
{
    private const int PauseWriterBytes = 1024 * 1024;
    private const int ResumeWriterBytes = 512 * 1024;

    private readonly Stream _reader;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;
    private int _disposed;

    private S3ObjectReadStream(Stream reader, CancellationTokenSource stop, Task pump)
    {
        _reader = reader;
        _stop = stop;
        _pump = pump;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Starts <paramref name="pump"/> on the thread pool, writing into a pipe; answers the pipe's reading end. The
    /// pump completes the writer itself (with the failure, if any) and must not throw.
    /// </summary>
    public static S3ObjectReadStream Start(Func<PipeWriter, CancellationToken, Task> pump)
    {
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: PauseWriterBytes,
            resumeWriterThreshold: ResumeWriterBytes,
            useSynchronizationContext: false));
        var stop = new CancellationTokenSource();

        // Task.Run keeps the download off whatever scheduler called OpenAsync (a grain's, for instance).
        var running = Task.Run(() => pump(pipe.Writer, stop.Token), CancellationToken.None);
        return new S3ObjectReadStream(pipe.Reader.AsStream(), stop, running);
    }

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _reader.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _reader.DisposeAsync();
        await _pump;
        _stop.Dispose();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _reader.Dispose();

            // The pump may still be unwinding with the token; release the source once it has.
            _ = _pump.ContinueWith(
                static (_, stop) => ((CancellationTokenSource)stop!).Dispose(),
                _stop,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        base.Dispose(disposing);
    }
}

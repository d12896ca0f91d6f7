namespace TaskQueue.Silo.Results;

/// <summary>
/// The content part of a local result file: the file seen from just after its header, so that length, position
/// and seeking (a gateway serving byte ranges) mean the result's bytes, not the file's.
/// </summary>
internal sealed class ResultFileContentStream : Stream
{
    private readonly FileStream _file;
    private readonly long _offset;

    public ResultFileContentStream(FileStream file, long offset)
    {
        _file = file;
        _offset = offset;
        _file.Position = offset;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _file.Length - _offset;

    public override long Position
    {
        get => _file.Position - _offset;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _file.Position = value + _offset;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _file.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _file.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _file.ReadAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        Position = target;
        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        await base.DisposeAsync();
    }
}

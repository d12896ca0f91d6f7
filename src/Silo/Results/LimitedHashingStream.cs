using System.Security.Cryptography;
using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

/// <summary>
/// Reads a result's content once, counting and hashing on the way, and throws
/// <see cref="ResultTooLargeException"/> as soon as more than the limit arrives. Reads that come without a
/// cancellation token (the Minio client reads that way) still honour the put's token.
/// </summary>
internal sealed class LimitedHashingStream : Stream
{
    private readonly Stream _inner;
    private readonly long _maxBytes;
    private readonly CancellationToken _cancellationToken;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public LimitedHashingStream(Stream inner, long maxBytes, CancellationToken cancellationToken)
    {
        _inner = inner;
        _maxBytes = maxBytes;
        _cancellationToken = cancellationToken;
    }

    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>True once a read found the end of the content.</summary>
    public bool Ended { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of everything read, as lowercase hex.</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        return Count(buffer, _inner.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!cancellationToken.CanBeCanceled || cancellationToken == _cancellationToken)
        {
            var read = await _inner.ReadAsync(buffer, _cancellationToken);
            return Count(buffer.Span, read);
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellationToken);
        var readEither = await _inner.ReadAsync(buffer, both.Token);
        return Count(buffer.Span, readEither);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The content belongs to the caller of PutAsync: only the hash is ours to release.
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(ReadOnlySpan<byte> buffer, int read)
    {
        if (read == 0)
        {
            Ended = buffer.Length > 0 || Ended;
            return 0;
        }

        BytesRead += read;
        if (BytesRead > _maxBytes)
        {
            throw new ResultTooLargeException(_maxBytes);
        }

        _hash.AppendData(buffer[..read]);
        return read;
    }
}

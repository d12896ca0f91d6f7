using System.IO.Pipelines;
using Minio.DataModel;
using Minio.DataModel.Args;
using Minio.Exceptions;
using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

public sealed partial class S3ResultStore
{
    private const int PumpChunkBytes = 64 * 1024;
    private const string FallbackMediaType = "application/octet-stream";

    /// <summary>
    /// Stats the object (size, media type), then streams it through <see cref="S3ObjectReadStream"/>: a pipe
    /// rather than a temporary file, so the first byte reaches the caller at once, nothing touches the disk, and
    /// memory stays bounded whatever the size. S3 serves a GET from one version of an object, so a reader never
    /// gets two results mixed; when the object is deleted, or replaced by one of another size, between the stat
    /// and the GET, the caller's read ends in an exception rather than in a clean end of stream.
    /// </summary>
    public async Task<ResultContent?> OpenAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        var key = Key(taskId);
        ObjectStat stat;
        try
        {
            stat = await _client.StatObjectAsync(
                new StatObjectArgs().WithBucket(_bucket).WithObject(key),
                cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }

        var stream = S3ObjectReadStream.Start((writer, stop) => PumpAsync(taskId, key, stat, writer, stop));
        var mediaType = ResultMediaType.IsValid(stat.ContentType) ? stat.ContentType : FallbackMediaType;
        return new ResultContent(stream, stat.Size, mediaType);
    }

    private async Task PumpAsync(Guid taskId, string key, ObjectStat stat, PipeWriter writer, CancellationToken stop)
    {
        Exception? failure = null;
        try
        {
            var copied = 0L;
            var readerLeft = false;
            // No ETag condition: the Minio client 7.0.0 drops WithMatchETag on GET and HEAD (their BuildRequest
            // skips the base class that adds If-Match), and s3rver ignores If-Match. A replacement of another size
            // is caught by the count below; one of the same size is served whole, which is a complete result too.
            var args = new GetObjectArgs()
                .WithBucket(_bucket)
                .WithObject(key)
                .WithCallbackStream(async (body, token) =>
                    (copied, readerLeft) = await CopyToPipeAsync(body, writer, token));
            await _client.GetObjectAsync(args, stop);
            if (!readerLeft && copied != stat.Size)
            {
                throw new IOException(
                    $"The result of task {taskId} changed while it was read: {copied} bytes arrived, "
                    + $"{stat.Size} were announced.");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The reader was disposed before the end: nobody is waiting for the rest.
        }
        catch (Exception exception)
        {
            _logger.ResultReadFailed(taskId, exception);
            failure = exception;
        }

        await writer.CompleteAsync(failure);
    }

    private static async Task<(long Copied, bool ReaderLeft)> CopyToPipeAsync(
        Stream body,
        PipeWriter writer,
        CancellationToken cancellationToken)
    {
        var copied = 0L;
        while (true)
        {
            var read = await body.ReadAsync(writer.GetMemory(PumpChunkBytes), cancellationToken);
            if (read == 0)
            {
                return (copied, false);
            }

            writer.Advance(read);
            copied += read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted)
            {
                return (copied, true);
            }
        }
    }
}

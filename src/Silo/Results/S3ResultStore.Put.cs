using System.Buffers;
using Minio.DataModel.Args;
using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

public sealed partial class S3ResultStore
{
    // Below this size the Minio client sends one PUT; from it on, a multipart upload (Minio's MinimumPartSize).
    private const int SinglePutMaxBytes = 5 * 1024 * 1024;
    private const int ReadChunkBytes = 128 * 1024;
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Reads up to 5 MiB first. A result that ends before that (most SBOMs) goes in one PUT of known length, and
    /// a result over a limit below 5 MiB is refused before anything is sent. A longer one goes as a multipart
    /// upload of unknown length (the Minio client buffers 16 MiB parts); when it fails or grows past the limit,
    /// the upload is never completed, so no object appears, and the store asks the server to drop its parts.
    /// </summary>
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

        await EnsureReadyAsync(cancellationToken);
        var key = Key(taskId);
        var multipart = false;
        try
        {
            await using var source = new LimitedHashingStream(content, maxBytes, cancellationToken);
            using var head = await ReadHeadAsync(source, cancellationToken);
            var args = new PutObjectArgs().WithBucket(_bucket).WithObject(key).WithContentType(mediaType);
            if (source.Ended)
            {
                await _client.PutObjectAsync(args.WithStreamData(head).WithObjectSize(head.Length), cancellationToken);
            }
            else
            {
                multipart = true;
                await using var body = new PrefixedReadStream(head.GetBuffer().AsMemory(0, (int)head.Length), source);
                await _client.PutObjectAsync(args.WithStreamData(body).WithObjectSize(-1), cancellationToken);
                await EnsureNothingLeftAsync(taskId, key, source, cancellationToken);
            }

            var stored = new StoredResult(source.BytesRead, source.Sha256Hex());
            _logger.ResultStored(taskId, stored.SizeBytes);
            return stored;
        }
        catch (Exception exception)
        {
            if (multipart)
            {
                await AbortUploadAsync(taskId, key);
            }

            _logger.PutFailed(taskId, exception, cancellationToken);
            throw;
        }
    }

    private static async Task<MemoryStream> ReadHeadAsync(
        LimitedHashingStream source,
        CancellationToken cancellationToken)
    {
        var head = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            while (head.Length < SinglePutMaxBytes)
            {
                var wanted = (int)Math.Min(buffer.Length, SinglePutMaxBytes - head.Length);
                var read = await source.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                head.Write(buffer, 0, read);
            }

            head.Position = 0;
            return head;
        }
        catch
        {
            await head.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The Minio client uploads a stream of unknown length in at most 3,200 parts of 16 MiB and silently stops
    /// reading there: a longer result would be stored cut short. Such an object is removed and the put fails.
    /// </summary>
    private async Task EnsureNothingLeftAsync(
        Guid taskId,
        string key,
        LimitedHashingStream source,
        CancellationToken cancellationToken)
    {
        if (source.Ended || await source.ReadAsync(new byte[1], cancellationToken) == 0)
        {
            return;
        }

        await _client.RemoveObjectAsync(
            new RemoveObjectArgs().WithBucket(_bucket).WithObject(key),
            CancellationToken.None);
        throw new IOException(
            $"The result of task {taskId} is longer than the Minio client can upload without knowing its length "
            + $"({source.BytesRead} bytes were read); lower the task type's MaxResultBytes.");
    }

    private async Task AbortUploadAsync(Guid taskId, string key)
    {
        // The caller's token may be the reason we are here; the clean-up gets its own short deadline.
        using var deadline = new CancellationTokenSource(AbortTimeout);
        try
        {
            await _client.RemoveIncompleteUploadAsync(
                new RemoveIncompleteUploadArgs().WithBucket(_bucket).WithObject(key),
                deadline.Token);
        }
        catch (Exception exception)
        {
            _logger.IncompleteUploadNotAborted(taskId, exception);
        }
    }
}

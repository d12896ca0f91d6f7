using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace TaskQueue.Grains.Interfaces;

/// <summary>
/// A position in a newest-first task listing: the creation time and id of the last task on a page.
/// Callers treat its text form as opaque.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskCursor")]
public sealed record TaskCursor
{
    private const int EncodedBytes = 8 + 16;

    /// <summary>The creation time of the last task on the page.</summary>
    [Id(0)]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The id of the last task on the page; it breaks ties between tasks created in the same instant.</summary>
    [Id(1)]
    public required Guid TaskId { get; init; }

    /// <summary>The cursor's opaque text form: URL-safe base64 of the time in milliseconds and the id.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[EncodedBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.ToUnixTimeMilliseconds());
        TaskId.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a cursor from its text form; false for anything that is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TaskCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length != 32)
        {
            return false;
        }

        var base64 = text.Replace('-', '+').Replace('_', '/');
        Span<byte> bytes = stackalloc byte[EncodedBytes];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != EncodedBytes)
        {
            return false;
        }

        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (milliseconds < 0 || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        cursor = new TaskCursor
        {
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds),
            TaskId = new Guid(bytes[8..], bigEndian: true),
        };
        return true;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace TaskQueue.Grains.Interfaces;

/// <summary>How callers choose the id of a task they submit.</summary>
public static class TaskIds
{
    /// <summary>A fresh id. Version 7 ids sort by creation time, which keeps storage indexes compact.</summary>
    public static Guid New() => Guid.CreateVersion7();

    /// <summary>
    /// The id a user's idempotency key stands for: the same user and key give the same id, so a submission
    /// repeated after a lost answer finds the task it already made instead of making another.
    /// </summary>
    public static Guid ForIdempotencyKey(string userId, string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);

        // The zero byte cannot occur in a valid user id, so distinct (user, key) pairs never share input.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\0{idempotencyKey}"));
        Span<byte> bytes = hash.AsSpan(0, 16);

        // RFC 9562 version 8 (custom) with the RFC variant, so the id is a well-formed UUID.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

using System.Globalization;
using System.Text;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// An exclusive lock on <c>&lt;database&gt;.lock</c>, held while the store is open, so that two silos never
/// write the same file (each would think it owns every task and reminder in it).
/// </summary>
/// <remarks>
/// On Linux and macOS .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/>, on Windows a sharing
/// lock; either way the operating system drops it when the process dies, so a crash never leaves a stale lock.
/// Setting <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns .NET's locking, and so this guard, off.
/// SQLite's own <c>locking_mode=EXCLUSIVE</c> is not used because it would also shut out this store's reading
/// connections. The file is left in place on release: deleting it would race with a process that is opening it.
/// </remarks>
internal sealed class DatabaseFileLock : IDisposable
{
    private readonly FileStream _stream;

    private DatabaseFileLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, or throws with a message an operator can act on.</summary>
    public static DatabaseFileLock Acquire(string databasePath, string environmentVariable)
    {
        var lockPath = databasePath + ".lock";
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException busy) when (busy is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidOperationException(
                $"The task database {databasePath} is in use by another process (it holds {lockPath}). Only one "
                + $"silo may open an embedded database: stop the other one, or give this one its own file with "
                + $"{environmentVariable}.",
                busy);
        }

        try
        {
            // Who holds it, for an operator who looks (cat ignores the advisory lock).
            var holder = string.Create(
                CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:O}\n");
            stream.SetLength(0);
            stream.Write(Encoding.UTF8.GetBytes(holder));
            stream.Flush();
        }
        catch (IOException)
        {
            // The note is a courtesy; the lock is what matters and it is held.
        }

        return new DatabaseFileLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}

using System.Runtime.InteropServices;
using System.Text;

namespace TaskQueue.Silo.Results;

/// <summary>
/// fsync(2) on a directory, so that a rename into it survives a power loss, and syncfs(2) through one, to flush the
/// whole file system that holds it. .NET cannot open a directory as a file (File.OpenHandle refuses), hence the
/// direct calls.
/// </summary>
internal static class DirectorySync
{
    // O_RDONLY: a folder opens read-only as a file would (O_DIRECTORY's value differs between architectures).
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        // NTFS journals the rename itself and Windows has no way to flush a directory handle.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        Call(directory, Fsync, "to flush it to disk", $"flush the folder {directory} to disk");
    }

    /// <summary>Flushes everything written to the file system that holds <paramref name="directory"/> (Linux).</summary>
    public static void FlushFileSystem(string directory) =>
        Call(directory, SyncFs, "to flush its file system", $"flush the file system of {directory} to disk");

    private static void Call(string directory, Func<int, int> call, string openedTo, string failedTo)
    {
        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var descriptor = Open(path, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException(
                $"Could not open the folder {directory} {openedTo} (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (call(descriptor) != 0)
            {
                throw new IOException(
                    $"Could not {failedTo} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFs(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}

using System.Runtime.InteropServices;
using System.Text;

namespace TaskQueue.Silo.Results;

/// <summary>
/// fsync(2) on a directory, so that a rename into it survives a power loss. .NET cannot open a directory as a
/// file (File.OpenHandle refuses), hence the direct call.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        // NTFS journals the rename itself and Windows has no way to flush a directory handle.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var descriptor = Open(path, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException(
                $"Could not open the folder {directory} to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException(
                    $"Could not flush the folder {directory} to disk (errno {Marshal.GetLastPInvokeError()}).");
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

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}

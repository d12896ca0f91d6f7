using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskQueue.Silo.Storage.Embedded;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>A database path in a new temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryDatabase : IDisposable
{
    public TemporaryDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("taskqueue-storage-").FullName;
        DatabasePath = Path.Combine(Folder, "tasks.db");
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    /// <summary>A database on this path, not yet started.</summary>
    public EmbeddedDatabase Create(Action<EmbeddedStorageOptions>? configure = null)
    {
        var options = new EmbeddedStorageOptions { DatabasePath = DatabasePath };
        configure?.Invoke(options);
        return new EmbeddedDatabase(Options.Create(options), NullLogger<EmbeddedDatabase>.Instance);
    }

    /// <summary>A started database on this path.</summary>
    public async Task<EmbeddedDatabase> OpenAsync(
        CancellationToken cancellationToken,
        Action<EmbeddedStorageOptions>? configure = null)
    {
        var database = Create(configure);
        try
        {
            await database.StartAsync(cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temporary folder is cleaned by the system in time.
        }
    }
}

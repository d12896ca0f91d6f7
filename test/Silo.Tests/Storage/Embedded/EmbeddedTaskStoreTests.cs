using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.Embedded;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>The task store contract against a real SQLite file in a temporary folder, one file per test.</summary>
public sealed class EmbeddedTaskStoreTests : TaskStoreContract
{
    private readonly TemporaryDatabase _file = new();
    private EmbeddedDatabase? _database;

    protected override async ValueTask<ITaskStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _database = await _file.OpenAsync(cancellationToken);
        return new EmbeddedTaskStore(_database);
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _file.Dispose();
    }
}

using TaskQueue.Silo.Storage.Embedded;

namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>The reminder table contract against a real SQLite file in a temporary folder, one file per test.</summary>
public sealed class EmbeddedReminderTableTests : ReminderTableContract
{
    private readonly TemporaryDatabase _file = new();
    private EmbeddedDatabase? _database;

    protected override async ValueTask<IReminderTable> CreateTableAsync(CancellationToken cancellationToken)
    {
        _database = _file.Create();
        var table = new EmbeddedReminderTable(_database);

        // Started the way Orleans' reminder service starts it.
        await table.StartAsync(cancellationToken);
        return table;
    }

    protected override async ValueTask DisposeTableAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _file.Dispose();
    }
}

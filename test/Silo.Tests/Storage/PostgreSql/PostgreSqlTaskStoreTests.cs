using TaskQueue.Grains.Storage;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>The task store contract against a real PostgreSQL server, one database for the class.</summary>
public sealed class PostgreSqlTaskStoreTests(PostgreSqlDatabaseFixture fixture)
    : TaskStoreContract, IClassFixture<PostgreSqlDatabaseFixture>
{
    private PostgreSqlDatabase? _database;

    [Fact]
    public async Task Write_ParameterWithNulCharacter_RoundTrips()
    {
        // PostgreSQL's jsonb and text refuse U+0000; the record column is json, which keeps the escape as written.
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        record.Parameters["nul"] = "before\0after";

        await Store.WriteAsync(record, null, Cancellation);

        Assert.Equal("before\0after", (await Store.ReadAsync(record.Id, Cancellation))?.Record.Parameters["nul"]);
    }

    protected override async ValueTask<ITaskStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _database = await PostgreSqlBackend.StartedAsync(fixture.ConnectionString, cancellationToken);
        return new PostgreSqlTaskStore(_database);
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

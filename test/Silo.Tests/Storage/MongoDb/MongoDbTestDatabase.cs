using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The MongoDB server named by <c>TASKQUEUE_MONGODB_CONNECTION_STRING</c>, and a fresh database on it for one test
/// class, dropped afterwards. Without the variable, every test that asks for the server is skipped, saying how to
/// give one: no MongoDB server can be installed on the project's machines, CI's included.
/// </summary>
public sealed class MongoDbTestDatabase : IAsyncLifetime
{
    /// <summary>The environment variable that holds the test server's connection string.</summary>
    public const string Variable = "TASKQUEUE_MONGODB_CONNECTION_STRING";

    /// <summary>Why a server test is skipped; it says what is needed and how to give it.</summary>
    public const string SkipReason =
        "No MongoDB server to test against: set " + Variable + " to a connection string (for example "
        + "mongodb://127.0.0.1:27017/) to run the MongoDB backend's tests against it; each test class works in a "
        + "database of its own, dropped afterwards. No MongoDB server can be installed on the project's machines "
        + "(not in apt, npm or NuGet), so these tests are skipped there, under CI (TASKQUEUE_REQUIRE_TOOLS=1) too.";

    private bool _handedOut;

    public MongoDbTestDatabase()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
    }

    /// <summary>The test server's connection string, or null when none is given.</summary>
    public string? ConnectionString { get; }

    /// <summary>A name no other test run uses.</summary>
    public string DatabaseName { get; } = "taskqueue_test_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Options for this class's database; skips the calling test when no server is given.</summary>
    public MongoDbStorageOptions Options()
    {
        if (ConnectionString is null)
        {
            Assert.Skip(SkipReason);
        }

        // From here on the database may exist, so it is dropped at the end.
        _handedOut = true;

        return new MongoDbStorageOptions
        {
            ConnectionString = ConnectionString,
            Database = DatabaseName,
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>A started database object on this class's database; the caller disposes it.</summary>
    internal async Task<MongoDbDatabase> OpenAsync(CancellationToken cancellationToken)
    {
        var database = new MongoDbDatabase(
            Microsoft.Extensions.Options.Options.Create(Options()),
            NullLogger<MongoDbDatabase>.Instance);
        try
        {
            await database.StartAsync(cancellationToken);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (ConnectionString is null || !_handedOut)
        {
            return;
        }

        var settings = MongoClientSettings.FromConnectionString(ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        using var client = new MongoClient(settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.DropDatabaseAsync(DatabaseName, timeout.Token);
    }
}

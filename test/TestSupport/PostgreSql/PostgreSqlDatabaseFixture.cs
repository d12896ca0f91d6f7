using Xunit;

namespace TaskQueue.TestSupport.PostgreSql;

/// <summary>
/// A database of its own on the shared PostgreSQL server, for one test class (a class fixture). When PostgreSQL
/// is not installed the fixture creates nothing and each test that asks for <see cref="ConnectionString"/> is
/// skipped saying how to install it (under CI it fails instead).
/// </summary>
public sealed class PostgreSqlDatabaseFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;
    private string? _database;

    /// <summary>The shared server; skips the calling test when PostgreSQL is not installed.</summary>
    public PostgreSqlServer Server
    {
        get
        {
            SharedPostgreSqlServer.RequireInstalled();
            return _server ?? throw new InvalidOperationException("PostgreSQL is installed but was not started.");
        }
    }

    /// <summary>This class's database name.</summary>
    public string DatabaseName
    {
        get
        {
            _ = Server;
            return _database!;
        }
    }

    /// <summary>A superuser connection string for this class's database; skips when PostgreSQL is not installed.</summary>
    public string ConnectionString => Server.ConnectionString(DatabaseName);

    public async ValueTask InitializeAsync()
    {
        if (SharedPostgreSqlServer.BinFolder is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await SharedPostgreSqlServer.GetAsync(timeout.Token);
        _database = await _server.CreateDatabaseAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null && _database is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _server.DropDatabaseAsync(_database, timeout.Token);
        }
    }
}

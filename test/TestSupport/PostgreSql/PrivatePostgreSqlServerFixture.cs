using Xunit;

namespace TaskQueue.TestSupport.PostgreSql;

/// <summary>
/// A PostgreSQL server of its own for one test class (a class fixture), for tests that stop, kill or restart the
/// server, which would disturb everyone on the shared one. When PostgreSQL is not installed it starts nothing and
/// <see cref="Server"/> skips the calling test saying how to install it (under CI it fails instead).
/// </summary>
public sealed class PrivatePostgreSqlServerFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    /// <summary>The class's server; skips the calling test when PostgreSQL is not installed.</summary>
    public PostgreSqlServer Server
    {
        get
        {
            SharedPostgreSqlServer.RequireInstalled();
            return _server ?? throw new InvalidOperationException("PostgreSQL is installed but was not started.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (SharedPostgreSqlServer.BinFolder is { } binFolder)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            _server = await PostgreSqlServer.StartAsync(binFolder, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

using TaskQueue.TestSupport.Tools;

namespace TaskQueue.TestSupport.PostgreSql;

/// <summary>
/// One PostgreSQL server for a whole test run, started by the first test that asks and stopped when the test
/// process exits. Tests share it through databases of their own (<see cref="PostgreSqlDatabaseFixture"/>), so a run
/// pays for one <c>initdb</c> and one start-up, not one per test class.
/// </summary>
public static class SharedPostgreSqlServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lock Gate = new();
    private static Task<PostgreSqlServer>? _starting;

    /// <summary>The folder of PostgreSQL's programs, or null when PostgreSQL is not installed.</summary>
    public static string? BinFolder { get; } = PostgreSqlServer.FindBinFolder();

    /// <summary>
    /// Skips the calling test when PostgreSQL is not installed, saying how to install it (under CI it fails).
    /// </summary>
    public static void RequireInstalled()
    {
        if (BinFolder is null)
        {
            RequiredTools.Require("initdb", PostgreSqlServer.InstallHint, "/usr/lib/postgresql/15/bin");
        }
    }

    /// <summary>The shared server, started on first use; throws when PostgreSQL is not installed.</summary>
    public static Task<PostgreSqlServer> GetAsync(CancellationToken cancellationToken)
    {
        var binFolder = BinFolder ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed: {PostgreSqlServer.InstallHint}.");
        lock (Gate)
        {
            // A start that failed is tried again by the next caller rather than failing every later test the same way.
            if (_starting is null || _starting.IsFaulted || _starting.IsCanceled)
            {
                _starting = StartAsync(binFolder);
            }

            return _starting.WaitAsync(cancellationToken);
        }
    }

    private static async Task<PostgreSqlServer> StartAsync(string binFolder)
    {
        // Not the caller's token: the server outlives the test that happened to start it.
        using var timeout = new CancellationTokenSource(StartTimeout);
        var server = await PostgreSqlServer.StartAsync(binFolder, timeout.Token);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}

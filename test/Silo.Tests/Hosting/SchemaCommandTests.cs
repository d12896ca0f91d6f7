using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using TaskQueue.TestSupport.Processes;
using Xunit;

namespace TaskQueue.Silo.Tests.Hosting;

/// <summary><c>TaskQueue.Silo migrate</c> as an operator runs it: the real program against a real PostgreSQL.</summary>
public sealed class SchemaCommandTests(PostgreSqlDatabaseFixture database) : IClassFixture<PostgreSqlDatabaseFixture>
{
    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesTheSchemaThenFindsItUpToDate()
    {
        var environment = new Dictionary<string, string?>
        {
            ["TaskQueue__Storage__Provider"] = "PostgreSql",
            ["TaskQueue__Storage__PostgreSql__ConnectionString"] = database.ConnectionString,
        };

        var (firstCode, first) = await MigrateAsync(environment);
        var (secondCode, second) = await MigrateAsync(environment);

        Assert.Equal(0, firstCode);
        Assert.Contains($"went from version 0 to {PostgreSqlSchema.CurrentVersion}", first, StringComparison.Ordinal);
        Assert.Equal(0, secondCode);
        Assert.Contains($"is up to date at version {PostgreSqlSchema.CurrentVersion}", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_UnreachableServer_FailsSayingWhatToFix()
    {
        var (code, output) = await MigrateAsync(new Dictionary<string, string?>
        {
            ["TaskQueue__Storage__Provider"] = "PostgreSql",
            ["TaskQueue__Storage__PostgreSql__ConnectionString"] =
                $"Host=127.0.0.1;Port={TestSupport.Network.FreePort.Next()};Username=postgres;Password=secret;Timeout=2",
        });

        Assert.Equal(1, code);
        Assert.Contains("TaskQueue__Storage__PostgreSql__ConnectionString", output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> MigrateAsync(Dictionary<string, string?> environment)
    {
        var silo = ServiceProcess.OutputOf("Silo", "TaskQueue.Silo.dll");
        return await ExternalProcess.RunAsync(
            "dotnet",
            [silo, "migrate"],
            TimeSpan.FromSeconds(60),
            environment,
            Path.GetDirectoryName(silo),
            TestContext.Current.CancellationToken);
    }
}

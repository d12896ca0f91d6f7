using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>
/// A wrong or unreachable database stops start-up with a message that says what to fix and never shows the password.
/// </summary>
public sealed class PostgreSqlStartupTests(PostgreSqlDatabaseFixture fixture)
    : IClassFixture<PostgreSqlDatabaseFixture>, IDisposable
{
    private const string WrongPassword = "not-the-password-4711";
    private readonly CancellationTokenSource _timeout = Timeout();

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task StartAsync_NothingListening_SaysCannotReachAndWhichSetting()
    {
        var port = FreePort.Next();

        var message = await StartFailureAsync(
            $"Host=127.0.0.1;Port={port};Database=taskqueue;Username=tq;Password={WrongPassword};Timeout=5");

        Assert.StartsWith(
            $"Cannot reach PostgreSQL at 127.0.0.1:{port}, database 'taskqueue' as user 'tq'",
            message,
            StringComparison.Ordinal);
        Assert.Contains("connection refused", message, StringComparison.Ordinal);
        Assert.Contains("Check Host and Port", message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__PostgreSql__ConnectionString", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WrongPassword_SaysTheLoginWasRefused()
    {
        var message = await StartFailureAsync(
            fixture.Server.ConnectionString(fixture.DatabaseName, PostgreSqlServer.PasswordRole, WrongPassword));

        Assert.Contains($"as user '{PostgreSqlServer.PasswordRole}' refused the login", message, StringComparison.Ordinal);
        Assert.Contains("Check Username and Password", message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__PostgreSql__ConnectionString", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RightPassword_Starts()
    {
        await using var database = PostgreSqlBackend.Database(PostgreSqlBackend.Options(
            fixture.Server.ConnectionString(fixture.DatabaseName, PostgreSqlServer.PasswordRole, PostgreSqlServer.Password),
            schema: "password_role"));

        await database.StartAsync(Cancellation);
    }

    [Fact]
    public async Task StartAsync_DatabaseMissing_SaysWhichAndHowToCreateIt()
    {
        var message = await StartFailureAsync(fixture.Server.ConnectionString("no_such_database"));

        Assert.Contains("the database 'no_such_database' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("CREATE DATABASE no_such_database", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SiloHostWithUnreachableDatabase_StopsBeforeTheSiloJoinsAnything()
    {
        var port = FreePort.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueue:Storage:PostgreSql:ConnectionString"] =
                $"Host=127.0.0.1;Port={port};Database=taskqueue;Username=tq;Password={WrongPassword};Timeout=5",
        });
        builder.Services.AddPostgreSqlTaskStorage();
        builder.UseOrleans(silo => silo.ConfigureEndpoints(
            System.Net.IPAddress.Loopback, FreePort.Next(), FreePort.Next(), listenOnAnyHostAddress: false));
        using var host = builder.Build();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Cancellation));

        var explained = Unwrap(failure).OfType<InvalidOperationException>()
            .FirstOrDefault(e => e.Message.StartsWith("Cannot reach PostgreSQL", StringComparison.Ordinal));
        Assert.True(explained is not null, $"The start-up failure does not say what to fix: {failure}");
        Assert.DoesNotContain(WrongPassword, failure.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Unwrap(Exception failure)
    {
        for (var current = (Exception?)failure; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Unwrap))
                {
                    yield return inner;
                }
            }
        }
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        return timeout;
    }

    /// <summary>Starts the storage (and the schema command) on a bad database; both give the same message.</summary>
    private async Task<string> StartFailureAsync(string connectionString)
    {
        var options = PostgreSqlBackend.Options(connectionString);
        await using var database = PostgreSqlBackend.Database(options);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));
        var command = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation));

        Assert.Equal(failure.Message, command.Message);
        Assert.DoesNotContain(WrongPassword, failure.ToString(), StringComparison.Ordinal);
        return failure.Message;
    }
}

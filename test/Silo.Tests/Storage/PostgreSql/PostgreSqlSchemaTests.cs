using Microsoft.Extensions.Options;
using Npgsql;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Silo.Storage.PostgreSql;
using TaskQueue.TestSupport.PostgreSql;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>
/// Applying the schema on a real server: once when many start together, refused when newer, checked when applying is
/// off. Each test works in a schema of its own in the class's database.
/// </summary>
public sealed class PostgreSqlSchemaTests(PostgreSqlDatabaseFixture fixture)
    : IClassFixture<PostgreSqlDatabaseFixture>, IDisposable
{
    private readonly CancellationTokenSource _timeout = Timeout();
    private readonly string _schema = "schema_" + Guid.NewGuid().ToString("N")[..12];

    private CancellationToken Cancellation => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task ApplyAsync_EightStartersRacing_AppliedOnceAndEveryStarterSucceeds()
    {
        var options = PostgreSqlBackend.Options(fixture.ConnectionString, _schema);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starters = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(
                async () =>
                {
                    await go.Task;
                    return await PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation);
                },
                Cancellation))
            .ToList();

        go.SetResult();
        var changes = await Task.WhenAll(starters).WaitAsync(Cancellation);

        Assert.Single(changes, change => change.Applied);
        Assert.All(changes, change => Assert.Equal(PostgreSqlSchema.CurrentVersion, change.CurrentVersion));
        Assert.Equal(changes.Length - 1, changes.Count(change => change is { Applied: false, PreviousVersion: > 0 }));
        var versions = await QueryAsync($"SELECT version FROM \"{_schema}\".schema_version ORDER BY version");
        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion).Select(v => v.ToString()), versions);
    }

    [Fact]
    public async Task StartAsync_SiloDatabasesStartingTogether_ShareOneSchemaAndAllWork()
    {
        var databases = Enumerable.Range(0, 8)
            .Select(_ => PostgreSqlBackend.Database(PostgreSqlBackend.Options(fixture.ConnectionString, _schema)))
            .ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => Task.Run(() => d.StartAsync(Cancellation), Cancellation)))
                .WaitAsync(Cancellation);

            var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
            await new PostgreSqlTaskStore(databases[0]).WriteAsync(record, null, Cancellation);
            Assert.NotNull(await new PostgreSqlTaskStore(databases[7]).ReadAsync(record.Id, Cancellation));
            Assert.Equal(
                [PostgreSqlSchema.CurrentVersion.ToString()],
                await QueryAsync($"SELECT count(*) FROM \"{_schema}\".schema_version"));
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ApplyAsync_SchemaAlreadyCurrent_ChangesNothing()
    {
        var options = PostgreSqlBackend.Options(fixture.ConnectionString, _schema);
        var first = await PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation);

        var second = await PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation);

        Assert.Equal(new PostgreSqlSchemaChange(0, PostgreSqlSchema.CurrentVersion), first);
        Assert.Equal(new PostgreSqlSchemaChange(PostgreSqlSchema.CurrentVersion, PostgreSqlSchema.CurrentVersion), second);
        Assert.False(second.Applied);
    }

    [Fact]
    public async Task StartAsync_SchemaNewerThanThisBuild_RefusesAndSaysWhy()
    {
        var options = PostgreSqlBackend.Options(fixture.ConnectionString, _schema);
        await PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation);
        var newer = PostgreSqlSchema.CurrentVersion + 1;
        await fixture.Server.ExecuteAsync(
            $"INSERT INTO \"{_schema}\".schema_version (version, description) VALUES ({newer}, 'from the future')",
            fixture.DatabaseName,
            Cancellation);
        await using var database = PostgreSqlBackend.Database(options);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));
        var alsoRefused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation));

        Assert.Contains($"at version {newer}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"knows versions up to {PostgreSqlSchema.CurrentVersion}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("newer TaskQueue", refused.Message, StringComparison.Ordinal);
        Assert.Equal(refused.Message, alsoRefused.Message);
    }

    [Fact]
    public async Task StartAsync_ApplyOffAndNoSchema_RefusesNamingTheSetting()
    {
        var options = PostgreSqlBackend.Options(fixture.ConnectionString, _schema);
        options.ApplySchemaOnStart = false;
        await using var database = PostgreSqlBackend.Database(options);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync(Cancellation));

        Assert.Contains("at version 0", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__PostgreSql__ApplySchemaOnStart", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await QueryAsync($"SELECT 1 FROM pg_namespace WHERE nspname = '{_schema}'"));
    }

    [Fact]
    public async Task StartAsync_ApplyOffAndSchemaApplied_Starts()
    {
        var options = PostgreSqlBackend.Options(fixture.ConnectionString, _schema);
        await PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation);
        options.ApplySchemaOnStart = false;
        await using var database = PostgreSqlBackend.Database(options);

        await database.StartAsync(Cancellation);

        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        Assert.False(string.IsNullOrEmpty(await new PostgreSqlTaskStore(database).WriteAsync(record, null, Cancellation)));
    }

    [Fact]
    public async Task ApplyAsync_SchemaHoldingSomeoneElsesTables_RefusesNamingTheSchemaSetting()
    {
        await fixture.Server.ExecuteAsync(
            $"CREATE SCHEMA \"{_schema}\"; CREATE TABLE \"{_schema}\".tasks (id int)", fixture.DatabaseName, Cancellation);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlSchema.ApplyAsync(
            PostgreSqlBackend.Options(fixture.ConnectionString, _schema), loggerFactory: null, Cancellation));

        Assert.Contains("did not create", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__PostgreSql__Schema", refused.Message, StringComparison.Ordinal);

        // Nothing of ours was left behind: the migration rolled back as a whole.
        Assert.Equal(["tasks"], await QueryAsync($"SELECT tablename FROM pg_tables WHERE schemaname = '{_schema}'"));
    }

    [Fact]
    public async Task ApplyAsync_UserWithoutCreatePrivilege_SaysWhatToGrant()
    {
        var role = "limited_" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Server.ExecuteAsync($"CREATE ROLE {role} LOGIN", "postgres", Cancellation);
        var connectionString = fixture.Server.ConnectionString(fixture.DatabaseName, role);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlSchema.ApplyAsync(
            PostgreSqlBackend.Options(connectionString, _schema), loggerFactory: null, Cancellation));

        Assert.Contains($"as user '{role}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("may not create", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__PostgreSql__ApplySchemaOnStart", refused.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(refused.InnerException);
    }

    [Fact]
    public async Task ApplyAsync_SchemaCreatedAndGrantedByAnAdministrator_AppliesWithoutDatabasePrivilege()
    {
        var role = "owner_" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Server.ExecuteAsync(
            $"CREATE ROLE {role} LOGIN; CREATE SCHEMA \"{_schema}\" AUTHORIZATION {role}",
            fixture.DatabaseName,
            Cancellation);

        var change = await PostgreSqlSchema.ApplyAsync(
            PostgreSqlBackend.Options(fixture.Server.ConnectionString(fixture.DatabaseName, role), _schema),
            loggerFactory: null,
            Cancellation);

        Assert.True(change.Applied);
    }

    [Fact]
    public async Task ApplyAsync_SchemaFromBeforeTheStatusIndex_AddsItAndKeepsTheTasks()
    {
        var record = TaskRecords.New(TaskRecords.NewUserId(), TaskRecords.BaseTime);
        await using (var database = await PostgreSqlBackend.StartedAsync(fixture.ConnectionString, Cancellation, _schema))
        {
            await new PostgreSqlTaskStore(database).WriteAsync(record, null, Cancellation);
        }

        await ForgetStatusIndexAsync();

        var change = await PostgreSqlSchema.ApplyAsync(
            PostgreSqlBackend.Options(fixture.ConnectionString, _schema), loggerFactory: null, Cancellation);

        Assert.Equal(new PostgreSqlSchemaChange(1, PostgreSqlSchema.CurrentVersion), change);
        Assert.Equal(["tasks_by_status"], await StatusIndexAsync());
        await using var upgraded = await PostgreSqlBackend.StartedAsync(fixture.ConnectionString, Cancellation, _schema);
        var page = await new PostgreSqlTaskStore(upgraded).ListAllAsync(new TaskListQuery(), Cancellation);
        Assert.Equal(record.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task ApplyAsync_StatusIndexBuiltConcurrentlyBeforehand_KeepsItAndRecordsTheVersion()
    {
        await PostgreSqlSchema.ApplyAsync(
            PostgreSqlBackend.Options(fixture.ConnectionString, _schema), loggerFactory: null, Cancellation);
        await ForgetStatusIndexAsync();

        // What docs/storage-postgresql.md tells an administrator of a large table to run before upgrading.
        await ExecuteAsync(
            $"CREATE INDEX CONCURRENTLY tasks_by_status ON \"{_schema}\".tasks (status, created_at DESC, task_id DESC)");
        var change = await PostgreSqlSchema.ApplyAsync(
            PostgreSqlBackend.Options(fixture.ConnectionString, _schema), loggerFactory: null, Cancellation);

        Assert.Equal(new PostgreSqlSchemaChange(1, PostgreSqlSchema.CurrentVersion), change);
        Assert.Equal(["tasks_by_status"], await StatusIndexAsync());
    }

    [Fact]
    public async Task ApplyAsync_InvalidOptions_ThrowsNamingTheSetting()
    {
        var options = PostgreSqlBackend.Options(fixture.ConnectionString, "Not-A-Schema");

        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(
            () => PostgreSqlSchema.ApplyAsync(options, loggerFactory: null, Cancellation));

        Assert.Contains("TaskQueue__Storage__PostgreSql__Schema", invalid.Message, StringComparison.Ordinal);
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        return timeout;
    }

    private Task<IReadOnlyList<string>> StatusIndexAsync() =>
        QueryAsync($"SELECT indexname FROM pg_indexes WHERE schemaname = '{_schema}' AND indexname = 'tasks_by_status'");

    /// <summary>Takes the schema back to what the build before the status index applied: version 1.</summary>
    private Task ForgetStatusIndexAsync() =>
        ExecuteAsync(
            $"DROP INDEX \"{_schema}\".tasks_by_status; DELETE FROM \"{_schema}\".schema_version WHERE version = 2");

    private Task ExecuteAsync(string sql) => fixture.Server.ExecuteAsync(sql, fixture.DatabaseName, Cancellation);

    private Task<IReadOnlyList<string>> QueryAsync(string sql) =>
        fixture.Server.QueryAsync(sql, fixture.DatabaseName, Cancellation);
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// TaskQueue's tables in PostgreSQL, versioned: <c>schema_version</c> holds one row per migration applied. Silos apply
/// missing migrations as they start; <see cref="ApplyAsync(PostgreSqlStorageOptions, ILoggerFactory?, CancellationToken)"/>
/// does the same without a silo, for a deployment step or an operator.
/// </summary>
/// <remarks>
/// Migrations run in one transaction that first takes a transaction-scoped advisory lock, so that silos starting
/// together apply them once (the others wait, then find the schema current) and a crash mid-way leaves nothing
/// half-done: PostgreSQL's DDL is transactional, and the lock goes with the transaction or the dead connection. A
/// schema newer than this build stops start-up rather than letting old code write rows it does not understand.
/// </remarks>
public static class PostgreSqlSchema
{
    // Migrations[n] takes the schema from version n to n + 1. Append only: a shipped migration never changes.
    private static readonly (string Description, string Sql)[] Migrations =
    [
        ("tasks, reminders and cluster membership", """
        -- One counter for every etag in the schema: a row deleted and created again never gets an etag it had
        -- before, so a writer holding the old one cannot overwrite or delete the new row.
        CREATE SEQUENCE {schema}.etags AS bigint;

        -- Task records: the JSON (TaskRecordJson) as written, beside the columns listings need. json rather than
        -- jsonb: stored verbatim (no re-encoding on every write and read), and it accepts every string the
        -- serializer writes, where jsonb refuses the escape \u0000.
        CREATE TABLE {schema}.tasks (
            task_id       uuid PRIMARY KEY,
            user_id       text NOT NULL,
            status        text NOT NULL,        -- TaskStateNames: queued, running, ...
            task_type     text NOT NULL,
            created_at    timestamptz NOT NULL, -- to the millisecond: listings order by it, then by task_id
            updated_at    timestamptz NOT NULL, -- to the millisecond
            attempt_count integer NOT NULL,
            version       bigint NOT NULL,      -- the etag
            record        json NOT NULL
        );

        -- Newest first per user, with and without a status: a listing walks one of these from its cursor
        -- (keyset), so a late page costs what the first one does.
        CREATE INDEX tasks_by_user ON {schema}.tasks (user_id, created_at DESC, task_id DESC);
        CREATE INDEX tasks_by_user_status ON {schema}.tasks (user_id, status, created_at DESC, task_id DESC);

        -- Orleans reminders, per service id. grain_hash is GrainId.GetUniformHashCode(), 0 to 2^32 - 1, for the
        -- ring-range reads each silo makes for the part of the ring it owns.
        CREATE TABLE {schema}.reminders (
            service_id    text NOT NULL,
            grain_id      text NOT NULL,
            reminder_name text NOT NULL,
            grain_hash    bigint NOT NULL,
            start_at      timestamptz NOT NULL,
            period        interval NOT NULL,
            version       bigint NOT NULL,      -- the etag
            PRIMARY KEY (service_id, grain_id, reminder_name)
        );
        CREATE INDEX reminders_by_hash ON {schema}.reminders (service_id, grain_hash);

        -- Orleans cluster membership: one version row per cluster, changed with every membership change, and one
        -- row per silo. A change to a silo row and the version row commit together or not at all.
        CREATE TABLE {schema}.membership_versions (
            cluster_id text PRIMARY KEY,
            version    integer NOT NULL,
            etag       bigint NOT NULL,
            changed_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE {schema}.silos (
            cluster_id      text NOT NULL,
            address         text NOT NULL,      -- IP address
            port            integer NOT NULL,
            generation      integer NOT NULL,
            silo_name       text NOT NULL,
            host_name       text NOT NULL,
            status          text NOT NULL,      -- Orleans SiloStatus name: Joining, Active, Dead, ...
            proxy_port      integer NOT NULL,   -- the gateway port clients connect to; 0 when it has none
            role_name       text,
            update_zone     integer NOT NULL,
            fault_zone      integer NOT NULL,
            start_time      timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            suspect_times   json,               -- [{"silo": "<address>", "at": "<UTC time>"}, ...]
            last_update_at  timestamptz NOT NULL, -- latest of start, alive and suspicion times: what cleanup compares
            etag            bigint NOT NULL,    -- changes with each update of the row, not with heartbeats
            PRIMARY KEY (cluster_id, address, port, generation)
        );
        """),
        ("operators' listing of all users' tasks", """
        -- Newest first over all users, of one status or (one range per status, merged) of all. One index, not a
        -- second one without the status: each index is one more entry to write per task row. IF NOT EXISTS lets an
        -- administrator build it beforehand with CREATE INDEX CONCURRENTLY on a large table, without blocking writes
        -- (docs/storage-postgresql.md); built here, it holds writes to the table back while it is built.
        CREATE INDEX IF NOT EXISTS tasks_by_status ON {schema}.tasks (status, created_at DESC, task_id DESC);
        """),
    ];

    /// <summary>The schema version this build creates and understands.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Brings the configured schema to <see cref="CurrentVersion"/> without starting a silo: what a silo does as it
    /// starts, for a deployment step that runs before the silos (with <c>ApplySchemaOnStart</c> off) or an operator.
    /// Safe to run while silos start or run: it takes the same lock and applies only what is missing.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    /// <exception cref="InvalidOperationException">
    /// PostgreSQL cannot be reached or refused the login, the user may not create the schema, or the schema is newer
    /// than this build; the message says what to fix.
    /// </exception>
    public static async Task<PostgreSqlSchemaChange> ApplyAsync(
        PostgreSqlStorageOptions options,
        ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new PostgreSqlStorageOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(
                Microsoft.Extensions.Options.Options.DefaultName, typeof(PostgreSqlStorageOptions), validation.Failures);
        }

        var settings = PostgreSqlDatabase.Configure(options);
        var tables = new PostgreSqlTables(options.Schema);
        var logger = (ILogger?)loggerFactory?.CreateLogger(typeof(PostgreSqlSchema)) ?? NullLogger.Instance;

        // One connection is all a migration needs; the bound keeps a command-line run from opening more.
        settings.MaxPoolSize = 1;
        await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            return await ApplyAsync(dataSource, tables, logger, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var explained = PostgreSqlFailures.Explain(failure, settings, tables.Schema);
            if (ReferenceEquals(explained, failure))
            {
                throw;
            }

            throw explained;
        }
    }

    /// <summary>Applies the missing migrations under the advisory lock; answers the versions before and after.</summary>
    internal static async Task<PostgreSqlSchemaChange> ApplyAsync(
        NpgsqlDataSource dataSource,
        PostgreSqlTables tables,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // The common case, a schema already current, costs a read and needs no lock and no CREATE privilege.
        var found = await ReadVersionAsync(connection, tables, cancellationToken);
        ThrowIfNewer(found, tables);
        if (found == CurrentVersion)
        {
            return new PostgreSqlSchemaChange(found, found);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        PostgreSqlStorageLog.WaitingForSchemaLock(logger, tables.Schema);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey(tables.Schema) });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // Another silo may have applied it while this one waited for the lock.
        var before = await ReadVersionAsync(connection, tables, cancellationToken);
        ThrowIfNewer(before, tables);
        if (before == 0)
        {
            // CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS; a schema that an
            // administrator made beforehand (and granted to this user) needs only the privileges on the schema.
            await using (var schemaExists = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", connection, transaction))
            {
                schemaExists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tables.Schema });
                if (await schemaExists.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {tables.QuotedSchema}", cancellationToken);
                }
            }

            await ExecuteAsync(
                connection,
                transaction,
                $"""
                CREATE TABLE IF NOT EXISTS {tables.SchemaVersion} (
                    version     integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now(),
                    applied_by  text NOT NULL DEFAULT current_user
                );
                """,
                cancellationToken);
        }

        for (var next = before + 1; next <= CurrentVersion; next++)
        {
            var (description, sql) = Migrations[next - 1];
            var statements = sql.Replace("{schema}", tables.QuotedSchema, StringComparison.Ordinal);
            await ExecuteAsync(connection, transaction, statements, cancellationToken);
            await using var record = new NpgsqlCommand(
                $"INSERT INTO {tables.SchemaVersion} (version, description) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = next });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        for (var applied = before + 1; applied <= CurrentVersion; applied++)
        {
            PostgreSqlStorageLog.SchemaApplied(logger, applied, tables.Schema);
        }

        return new PostgreSqlSchemaChange(before, CurrentVersion);
    }

    /// <summary>
    /// Checks that the schema is exactly at <see cref="CurrentVersion"/> (for silos that do not apply it); answers it.
    /// </summary>
    internal static async Task<int> CheckAsync(
        NpgsqlDataSource dataSource,
        PostgreSqlTables tables,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var version = await ReadVersionAsync(connection, tables, cancellationToken);
        ThrowIfNewer(version, tables);
        if (version < CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema '{tables.Schema}' is at version {version}, but this TaskQueue build needs "
                + $"version {CurrentVersion}, and {PostgreSqlStorageOptions.SectionName}:ApplySchemaOnStart is off "
                + $"({Variable(nameof(PostgreSqlStorageOptions.ApplySchemaOnStart))}). "
                + "Apply the schema first (see docs/storage-postgresql.md), or turn ApplySchemaOnStart on.");
        }

        return version;
    }

    /// <summary>The schema's version: 0 when TaskQueue's schema is not there at all.</summary>
    internal static async Task<int> ReadVersionAsync(
        NpgsqlConnection connection,
        PostgreSqlTables tables,
        CancellationToken cancellationToken)
    {
        // The catalog is read with a query, not with to_regclass: to_regclass may answer from this session's cache
        // of the catalog, which still says "missing" after another session created the table while this one waited
        // for the lock (found by the racing-starters test).
        await using (var exists = new NpgsqlCommand(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relname = 'schema_version')
            """,
            connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tables.Schema });
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        await using var read = new NpgsqlCommand(
            $"SELECT coalesce(max(version), 0) FROM {tables.SchemaVersion}", connection);
        return (int)(await read.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The advisory lock's key: a 64-bit number from the schema's name, so that two TaskQueue deployments in one
    /// database (two schemas) do not wait for each other.
    /// </summary>
    internal static long LockKey(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("taskqueue schema " + schema)));

    private static void ThrowIfNewer(int version, PostgreSqlTables tables)
    {
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema '{tables.Schema}' is at version {version}, but this TaskQueue build knows "
                + $"versions up to {CurrentVersion}: a newer TaskQueue applied it. Run the newer TaskQueue (or "
                + $"roll it back together with its database), or point "
                + $"{Variable(nameof(PostgreSqlStorageOptions.Schema))} at another schema.");
        }
    }

    private static string Variable(string key) => PostgreSqlStorageOptionsValidator.EnvironmentVariable(key);

    private static async Task ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string sql,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Microsoft.Data.Sqlite;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// The database's tables, versioned with SQLite's <c>PRAGMA user_version</c>. Each migration runs in its own
/// transaction together with the version bump, so a crash mid-way leaves the file at the previous version.
/// </summary>
internal static class EmbeddedSchema
{
    /// <summary>Marks the file as ours (<c>PRAGMA application_id</c>, the ASCII of "TQdb").</summary>
    internal const int ApplicationId = 0x54516462;

    // Migrations[n] takes the file from version n to n + 1. Append only: a shipped migration never changes.
    private static readonly string[] Migrations =
    [
        $"""
        PRAGMA application_id = {ApplicationId};

        -- One row per setting of the store itself.
        CREATE TABLE store_meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO store_meta (key, value) VALUES ('last_etag_version', 0);

        -- Task records: the JSON (TaskRecordJson) beside the columns listings need. The record is the last column
        -- so that a listing, which never reads it, does not load its pages.
        CREATE TABLE tasks (
            task_id       TEXT PRIMARY KEY NOT NULL, -- lowercase UUID: text order is the order of Guid.CompareTo
            user_id       TEXT NOT NULL,
            status        TEXT NOT NULL,              -- TaskStateNames
            task_type     TEXT NOT NULL,
            created_at    INTEGER NOT NULL,           -- Unix milliseconds
            updated_at    INTEGER NOT NULL,           -- Unix milliseconds
            attempt_count INTEGER NOT NULL,
            version       INTEGER NOT NULL,           -- the etag
            record        TEXT NOT NULL
        );

        -- Newest first per user, with and without a status: the listing walks one of these from its cursor.
        CREATE INDEX tasks_by_user ON tasks (user_id, created_at DESC, task_id DESC);
        CREATE INDEX tasks_by_user_status ON tasks (user_id, status, created_at DESC, task_id DESC);

        -- Orleans reminders. grain_hash is GrainId.GetUniformHashCode(), 0 to 2^32 - 1, for ring-range reads.
        CREATE TABLE reminders (
            grain_id       TEXT NOT NULL,
            reminder_name  TEXT NOT NULL,
            grain_hash     INTEGER NOT NULL,
            start_at_ticks INTEGER NOT NULL,         -- UTC, .NET ticks
            period_ticks   INTEGER NOT NULL,         -- .NET ticks
            version        INTEGER NOT NULL,         -- the etag
            PRIMARY KEY (grain_id, reminder_name)
        ) WITHOUT ROWID;
        CREATE INDEX reminders_by_hash ON reminders (grain_hash);
        """,
        """
        -- Operators' listing over all users, newest first, of one status or (one range per status, merged) of all.
        -- One index, not a second one without the status: each index is one more entry to write per task row.
        CREATE INDEX tasks_by_status ON tasks (status, created_at DESC, task_id DESC);
        """,
    ];

    /// <summary>The version this build creates and understands.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the file to <see cref="CurrentVersion"/>, or throws when it cannot or must not.</summary>
    public static void Apply(SqliteConnection connection, string databasePath, ILogger logger)
    {
        var version = ReadVersion(connection);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The task database {databasePath} has schema version {version}, but this TaskQueue build knows "
                + $"versions up to {CurrentVersion}: a newer TaskQueue wrote it. Run that newer version, or point "
                + $"{EnvironmentVariable} at another file.");
        }

        CheckOwnership(connection, databasePath, version);
        for (var next = version + 1; next <= CurrentVersion; next++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"{Migrations[next - 1]}\nPRAGMA user_version = {next};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            EmbeddedStorageLog.SchemaApplied(logger, next, databasePath);
        }
    }

    internal static int ReadVersion(SqliteConnection connection) => ReadPragma(connection, "user_version");

    private static string EnvironmentVariable => EmbeddedDatabase.DatabasePathVariable;

    private static void CheckOwnership(SqliteConnection connection, string databasePath, int version)
    {
        // A file that already holds tables it did not get from us is someone else's data: refuse it rather than
        // add our tables to it.
        var applicationId = ReadPragma(connection, "application_id");
        var foreign = version == 0
            ? applicationId != 0 || CountTables(connection) > 0
            : applicationId != ApplicationId;
        if (foreign)
        {
            throw new InvalidOperationException(
                $"The file {databasePath} is an SQLite database that TaskQueue did not create (application id "
                + $"{applicationId}, schema version {version}). Point {EnvironmentVariable} at a new file or a "
                + "TaskQueue task database.");
        }
    }

    private static int ReadPragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long CountTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema";
        return (long)command.ExecuteScalar()!;
    }
}

using Microsoft.Data.Sqlite;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// What a write sees inside the writer's transaction: prepared commands and the etag counter. Used only on the
/// writer thread, so nothing here is locked.
/// </summary>
internal sealed class WriteBatchContext(SqliteConnection connection, long lastVersion) : IDisposable
{
    // Commands are kept per SQL text so that SQLite compiles each statement once for the writer's lifetime.
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    /// <summary>The highest etag version handed out so far.</summary>
    public long LastVersion { get; private set; } = lastVersion;

    /// <summary>
    /// A version number no row of this file ever had. Versions come from one counter for the whole file, kept in
    /// the file, so a record that is deleted and created again never gets an etag it had before: a writer holding
    /// the old etag cannot overwrite or delete the new record by accident.
    /// </summary>
    public long NextVersion() => ++LastVersion;

    /// <summary>A command for <paramref name="sql"/> bound to the current transaction, with no parameters.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = _transaction
            ?? throw new InvalidOperationException("A write ran outside the writer's transaction.");
        command.Parameters.Clear();
        return command;
    }

    internal void Begin(SqliteTransaction transaction) => _transaction = transaction;

    internal void End() => _transaction = null;

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}

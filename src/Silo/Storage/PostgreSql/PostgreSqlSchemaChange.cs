namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>What applying the PostgreSQL schema did: the version found and the version left.</summary>
/// <param name="PreviousVersion">The schema's version before: 0 when there was no TaskQueue schema.</param>
/// <param name="CurrentVersion">The schema's version after, <see cref="PostgreSqlSchema.CurrentVersion"/>.</param>
public sealed record PostgreSqlSchemaChange(int PreviousVersion, int CurrentVersion)
{
    /// <summary>True when this call applied at least one migration; false when the schema was already current.</summary>
    public bool Applied => CurrentVersion != PreviousVersion;
}

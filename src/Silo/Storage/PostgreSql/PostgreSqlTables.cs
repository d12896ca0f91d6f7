namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// The schema-qualified, quoted names of TaskQueue's tables in one PostgreSQL schema. SQL is written with these so
/// that it never depends on the session's <c>search_path</c>.
/// </summary>
/// <remarks>The schema name is validated (lowercase letters, digits, underscores) before it gets here.</remarks>
internal sealed class PostgreSqlTables(string schema)
{
    public string Schema { get; } = schema;

    /// <summary>The schema's name quoted as an identifier.</summary>
    public string QuotedSchema { get; } = $"\"{schema}\"";

    public string SchemaVersion => Qualified("schema_version");

    /// <summary>The one sequence every etag comes from, so that no etag is ever handed out twice.</summary>
    public string ETags => Qualified("etags");

    public string Tasks => Qualified("tasks");

    public string Reminders => Qualified("reminders");

    public string MembershipVersions => Qualified("membership_versions");

    public string Silos => Qualified("silos");

    /// <summary>A name in the schema, quoted, as <c>"schema".name</c>.</summary>
    public string Qualified(string name) => $"{QuotedSchema}.{name}";

    /// <summary>The sequence's name as a text literal for <c>nextval</c>.</summary>
    public string ETagsLiteral => $"'{QuotedSchema}.etags'";
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL backend: task records, reminders and cluster membership in one schema of one database, shared
/// by every silo of the cluster (and read by clients for the list of gateways).
/// </summary>
public sealed class PostgreSqlStorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "TaskQueue:Storage:PostgreSql";

    /// <summary>
    /// The Npgsql connection string, for example
    /// <c>Host=db;Port=5432;Database=taskqueue;Username=taskqueue;Password=...</c>. Required; no default.
    /// Keep the password out of files: set it through the environment variable or a secret.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The most connections this process opens to PostgreSQL (the pool's bound). Used unless the connection
    /// string names its own <c>Maximum Pool Size</c>. Every silo and client holds its own pool, so the server must
    /// allow the sum (PostgreSQL's <c>max_connections</c> is 100 by default). Default: 16.
    /// </summary>
    public int MaxPoolSize { get; set; } = 16;

    /// <summary>
    /// The PostgreSQL schema that holds TaskQueue's tables; created when missing. Lowercase letters, digits and
    /// underscores. Default: <c>taskqueue</c>.
    /// </summary>
    public string Schema { get; set; } = "taskqueue";

    /// <summary>How long one statement may run before it is cancelled. Default: 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a silo brings the schema to the version it needs as it starts (under an advisory lock, so that
    /// silos starting together apply it once). When false the silo only checks the version and refuses to start
    /// on a schema that is missing or old; apply it beforehand with
    /// <see cref="PostgreSqlSchema.ApplyAsync(PostgreSqlStorageOptions, ILoggerFactory?, CancellationToken)"/>.
    /// Default: true.
    /// </summary>
    public bool ApplySchemaOnStart { get; set; } = true;
}

/// <summary>Checks <see cref="PostgreSqlStorageOptions"/> at start; messages name the setting and its variable.</summary>
internal sealed partial class PostgreSqlStorageOptionsValidator : IValidateOptions<PostgreSqlStorageOptions>
{
    internal const int MaxPoolSizeLimit = 1000;
    private static readonly TimeSpan MaxCommandTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, PostgreSqlStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(Describe(
                nameof(options.ConnectionString),
                "must be set to the database's Npgsql connection string, for example "
                + "Host=db;Port=5432;Database=taskqueue;Username=taskqueue;Password=..."));
        }
        else if (ConnectionStringProblem(options.ConnectionString) is { } problem)
        {
            failures.Add(Describe(nameof(options.ConnectionString), problem));
        }

        if (options.MaxPoolSize is < 1 or > MaxPoolSizeLimit)
        {
            failures.Add(Describe(
                nameof(options.MaxPoolSize),
                $"must be between 1 and {MaxPoolSizeLimit}; it is {options.MaxPoolSize}"));
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            failures.Add(Describe(
                nameof(options.Schema),
                $"must be 1-63 lowercase letters, digits or underscores, starting with a letter or underscore; "
                + $"it is '{options.Schema}'"));
        }
        else if (options.Schema.StartsWith("pg_", StringComparison.Ordinal) || options.Schema == "information_schema")
        {
            failures.Add(Describe(
                nameof(options.Schema),
                $"must not be a name PostgreSQL reserves for itself ('{options.Schema}')"));
        }

        if (options.CommandTimeout < TimeSpan.FromSeconds(1) || options.CommandTimeout > MaxCommandTimeout)
        {
            failures.Add(Describe(
                nameof(options.CommandTimeout),
                $"must be from 1 second to {MaxCommandTimeout}; it is {options.CommandTimeout}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The environment variable that sets <paramref name="key"/>.</summary>
    internal static string EnvironmentVariable(string key) =>
        $"{PostgreSqlStorageOptions.SectionName.Replace(":", "__", StringComparison.Ordinal)}__{key}";

    internal static string Describe(string key, string problem) =>
        $"{PostgreSqlStorageOptions.SectionName}:{key} {problem} (environment variable {EnvironmentVariable(key)}).";

    /// <summary>What is wrong with the connection string, without repeating it (it may hold a password).</summary>
    private static string? ConnectionStringProblem(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception invalid) when (invalid is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql's message names the faulty keyword or value, never the whole string.
            return $"is not a valid Npgsql connection string ({invalid.Message})";
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return "names no Host: add Host=<server name or address>";
        }

        if (builder.Port is < 1 or > 65535)
        {
            return $"names the port {builder.Port}, which is not a TCP port";
        }

        return null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}

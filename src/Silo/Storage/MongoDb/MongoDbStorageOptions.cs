using System.Buffers;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// The MongoDB backend: task records, reminders and cluster membership in one MongoDB database, shared by every
/// silo of the cluster. Section <c>TaskQueue:Storage:MongoDb</c>.
/// </summary>
public sealed class MongoDbStorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "TaskQueue:Storage:MongoDb";

    /// <summary>
    /// A MongoDB connection string (<c>mongodb://user:password@mongo-0,mongo-1/?replicaSet=rs0</c> or
    /// <c>mongodb+srv://...</c>): hosts, credentials, TLS and replica set come from here. Required; no default.
    /// It holds a password, so it is never logged. A database named in its path is only the driver's default
    /// authentication database; the data goes to <see cref="Database"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The database that holds the <c>tasks</c>, <c>reminders</c> and <c>membership</c> collections.
    /// Default: <c>taskqueue</c>.</summary>
    public string Database { get; set; } = "taskqueue";

    /// <summary>
    /// The most connections this process opens to each MongoDB server (it overrides the connection string's
    /// <c>maxPoolSize</c>). Each silo and each gateway has its own pool, so the server sees up to this many
    /// connections per process; a write holds one for about a round trip. Default: 32 (the driver's own default
    /// is 100).
    /// </summary>
    public int MaxConnectionPoolSize { get; set; } = 32;

    /// <summary>
    /// How long an operation waits for a usable server before it fails (it overrides the connection string's
    /// <c>serverSelectionTimeoutMS</c>). It also bounds how long start-up waits for an unreachable server before
    /// it stops with an error. Default: 15 seconds.
    /// </summary>
    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Creates the collections' indexes when the silo starts (creating an index that exists is a no-op). Turn it
    /// off only when the account may not create indexes and an administrator created them (docs list them).
    /// Default: <c>true</c>.
    /// </summary>
    public bool CreateIndexesOnStart { get; set; } = true;
}

/// <summary>Checks <see cref="MongoDbStorageOptions"/> at start; messages name the setting and its variable.</summary>
internal sealed class MongoDbStorageOptionsValidator : IValidateOptions<MongoDbStorageOptions>
{
    internal const int MaxConnectionPoolSizeLimit = 500;
    internal static readonly TimeSpan MinServerSelectionTimeout = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxServerSelectionTimeout = TimeSpan.FromMinutes(10);

    // MongoDB refuses these in database names on some platform; refusing them everywhere keeps data portable.
    private static readonly SearchValues<char> DatabaseNameForbidden = SearchValues.Create("/\\. \"$*<>:|?\0");

    public ValidateOptionsResult Validate(string? name, MongoDbStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(Describe(
                nameof(options.ConnectionString),
                "must be set to a MongoDB connection string, for example mongodb://mongo:27017"));
        }
        else if (ParseFailure(options.ConnectionString) is { } problem)
        {
            failures.Add(Describe(
                nameof(options.ConnectionString),
                $"is not a valid MongoDB connection string ({problem})"));
        }

        if (string.IsNullOrEmpty(options.Database)
            || options.Database.Length > 63
            || options.Database.AsSpan().ContainsAny(DatabaseNameForbidden))
        {
            failures.Add(Describe(
                nameof(options.Database),
                "must be a database name of 1 to 63 characters without / \\ . space \" $ * < > : | ? or NUL; "
                + $"it is '{options.Database}'"));
        }

        if (options.MaxConnectionPoolSize is < 1 or > MaxConnectionPoolSizeLimit)
        {
            failures.Add(Describe(
                nameof(options.MaxConnectionPoolSize),
                $"must be between 1 and {MaxConnectionPoolSizeLimit}; it is {options.MaxConnectionPoolSize}"));
        }

        if (options.ServerSelectionTimeout < MinServerSelectionTimeout
            || options.ServerSelectionTimeout > MaxServerSelectionTimeout)
        {
            failures.Add(Describe(
                nameof(options.ServerSelectionTimeout),
                $"must be from {MinServerSelectionTimeout} to {MaxServerSelectionTimeout}; "
                + $"it is {options.ServerSelectionTimeout}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The environment variable that sets <paramref name="key"/>.</summary>
    internal static string EnvironmentVariable(string key) =>
        $"{MongoDbStorageOptions.SectionName.Replace(":", "__", StringComparison.Ordinal)}__{key}";

    /// <summary>The setting's full key and its environment variable, for messages that point at it.</summary>
    internal static string SettingAndVariable(string key) =>
        $"{MongoDbStorageOptions.SectionName}:{key} (environment variable {EnvironmentVariable(key)})";

    private static string Describe(string key, string problem) =>
        $"{MongoDbStorageOptions.SectionName}:{key} {problem} (environment variable {EnvironmentVariable(key)}).";

    private static string? ParseFailure(string connectionString)
    {
        try
        {
            _ = MongoUrl.Create(connectionString);
            return null;
        }
        catch (Exception invalid) when (invalid is MongoConfigurationException or ArgumentException or FormatException)
        {
            // The driver may quote the whole string, password included: say what is wrong without it.
            return MongoDbRedaction.Redact(invalid.Message, connectionString);
        }
    }
}

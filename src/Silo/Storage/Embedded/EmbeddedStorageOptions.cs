using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// The embedded backend: one SQLite file on this machine for task records and reminders. Only one silo may
/// open the file, so this backend serves a single-silo deployment.
/// </summary>
public sealed class EmbeddedStorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "TaskQueue:Storage:Embedded";

    /// <summary>
    /// The SQLite database file. A relative path is taken from the process's working directory; the folder is
    /// created when missing. SQLite keeps two companion files beside it (<c>-wal</c>, <c>-shm</c>) and the store
    /// adds a <c>.lock</c> file. Default: <c>data/taskqueue.db</c>.
    /// </summary>
    public string DatabasePath { get; set; } = "data/taskqueue.db";

    /// <summary>
    /// The most writes committed in one transaction. Each transaction costs one flush to disk, so larger batches
    /// mean more writes per second under load; a batch never waits to fill. Default: 256.
    /// </summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How many writes may wait for the writer before callers are held back: this bounds memory when writes
    /// arrive faster than the disk takes them. Default: 10,000.
    /// </summary>
    public int MaxPendingWrites { get; set; } = 10_000;

    /// <summary>
    /// How long a statement waits for a lock held by another connection (a checkpoint, say) before it fails.
    /// Default: 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks <see cref="EmbeddedStorageOptions"/> at start; messages name the setting and its variable.</summary>
internal sealed class EmbeddedStorageOptionsValidator : IValidateOptions<EmbeddedStorageOptions>
{
    internal const int MaxBatchSizeLimit = 10_000;
    internal const int MaxPendingWritesLimit = 1_000_000;
    private static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, EmbeddedStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add(Describe(
                nameof(options.DatabasePath),
                "must name the SQLite file, for example data/taskqueue.db"));
        }
        else if (options.DatabasePath.Contains('\0', StringComparison.Ordinal)
            || options.DatabasePath.StartsWith(':')
            || options.DatabasePath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // ":memory:" and URI filenames would silently give a database that vanishes or is shared oddly.
            failures.Add(Describe(
                nameof(options.DatabasePath),
                $"must be a plain file path, not '{options.DatabasePath}' (no ':memory:', URI or NUL character)"));
        }

        if (options.MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            failures.Add(Describe(
                nameof(options.MaxBatchSize),
                $"must be between 1 and {MaxBatchSizeLimit}; it is {options.MaxBatchSize}"));
        }

        if (options.MaxPendingWrites < 1 || options.MaxPendingWrites > MaxPendingWritesLimit)
        {
            failures.Add(Describe(
                nameof(options.MaxPendingWrites),
                $"must be between 1 and {MaxPendingWritesLimit}; it is {options.MaxPendingWrites}"));
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > MaxBusyTimeout)
        {
            failures.Add(Describe(
                nameof(options.BusyTimeout),
                $"must be more than zero and at most {MaxBusyTimeout}; it is {options.BusyTimeout}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The environment variable that sets <paramref name="key"/>.</summary>
    internal static string EnvironmentVariable(string key) =>
        $"{EmbeddedStorageOptions.SectionName.Replace(":", "__", StringComparison.Ordinal)}__{key}";

    private static string Describe(string key, string problem) =>
        $"{EmbeddedStorageOptions.SectionName}:{key} {problem} (environment variable {EnvironmentVariable(key)}).";
}

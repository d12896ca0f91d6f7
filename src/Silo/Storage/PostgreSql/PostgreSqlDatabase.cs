using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// The one connection pool (an <see cref="NpgsqlDataSource"/>) of this process to TaskQueue's PostgreSQL database,
/// shared by the task store, the reminder table, the membership table and the gateway list; and the schema check
/// or migration that must pass before any of them is used.
/// </summary>
/// <remarks>
/// The pool is bounded by <see cref="PostgreSqlStorageOptions.MaxPoolSize"/> unless the connection string names its
/// own bound: a caller that finds every connection busy waits for one (up to the connection timeout) rather than
/// opening more. Connections are opened lazily and closed after being idle for a while (Npgsql's defaults).
/// </remarks>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    private const string MaxPoolSizeKeyword = "Maximum Pool Size";
    private const string CommandTimeoutKeyword = "Command Timeout";
    private readonly ILogger<PostgreSqlDatabase> _logger;
    private readonly Lock _gate = new();
    private readonly Lazy<PostgreSqlWriter> _writer;
    private Task? _starting;

    public PostgreSqlDatabase(IOptions<PostgreSqlStorageOptions> options, ILoggerFactory loggerFactory)
    {
        Options = options.Value;
        _logger = loggerFactory.CreateLogger<PostgreSqlDatabase>();
        Settings = Configure(Options);
        Description = Describe(Settings);
        Tables = new PostgreSqlTables(Options.Schema);
        var builder = new NpgsqlDataSourceBuilder(Settings.ConnectionString);
        builder.UseLoggerFactory(loggerFactory);
        DataSource = builder.Build();

        // Created on first use, so that a client that only reads the gateway list runs no writer loops. Two batches
        // in flight did as well as four or eight in the measurement; each holds a connection while it runs, so small
        // pools get one and keep the rest for reads.
        _writer = new Lazy<PostgreSqlWriter>(() => new PostgreSqlWriter(
            DataSource, Math.Clamp(Settings.MaxPoolSize / 8, 1, 2), loggerFactory.CreateLogger<PostgreSqlWriter>()));
    }

    public PostgreSqlStorageOptions Options { get; }

    /// <summary>The connection settings in effect (pool bound, timeout and name applied); holds the password.</summary>
    public NpgsqlConnectionStringBuilder Settings { get; }

    public NpgsqlDataSource DataSource { get; }

    public PostgreSqlTables Tables { get; }

    /// <summary>The batching writer the task store and the reminder table send their writes through.</summary>
    public PostgreSqlWriter Writer => _writer.Value;

    /// <summary>Where the data lives, for messages: host, port, database and user, never the password.</summary>
    public string Description { get; }

    /// <summary>
    /// Brings the schema to the version this build needs (or, with <c>ApplySchemaOnStart</c> off, checks that it is
    /// there), turning connection failures into messages that say what to fix. Later calls wait for the first.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_starting is null || _starting.IsFaulted || _starting.IsCanceled)
            {
                _starting = StartCoreAsync(cancellationToken);
            }

            return _starting.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Sends the writes still queued, then closes the pool's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_writer.IsValueCreated)
        {
            await _writer.Value.DisposeAsync();
        }

        await DataSource.DisposeAsync();
    }

    // The container disposes synchronously when it is not disposed asynchronously. Blocking is safe here: the writer's
    // loops run on the thread pool and need nothing from this thread.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal static string Describe(NpgsqlConnectionStringBuilder settings) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"PostgreSQL at {settings.Host}:{settings.Port}, database '{settings.Database ?? settings.Username}' as "
            + $"user '{settings.Username}'");

    /// <summary>The options' connection string with the pool bound, command timeout and application name applied.</summary>
    internal static NpgsqlConnectionStringBuilder Configure(PostgreSqlStorageOptions options)
    {
        var settings = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var named = settings.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

        // A bound the operator wrote into the connection string is theirs to keep; otherwise ours applies instead of
        // Npgsql's 100, which alone would use up a default PostgreSQL server's connections.
        if (!named.Contains(MaxPoolSizeKeyword))
        {
            settings.MaxPoolSize = options.MaxPoolSize;
        }

        if (!named.Contains(CommandTimeoutKeyword))
        {
            settings.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        }

        // Names our sessions in pg_stat_activity, so an operator can tell whose connections they are.
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "taskqueue";
        }

        return settings;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            int version;
            if (Options.ApplySchemaOnStart)
            {
                var change = await PostgreSqlSchema.ApplyAsync(DataSource, Tables, _logger, cancellationToken);
                version = change.CurrentVersion;
            }
            else
            {
                version = await PostgreSqlSchema.CheckAsync(DataSource, Tables, cancellationToken);
            }

            PostgreSqlStorageLog.Ready(_logger, Description, Tables.Schema, version, Settings.MaxPoolSize);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var explained = PostgreSqlFailures.Explain(failure, Settings, Tables.Schema);
            PostgreSqlStorageLog.StartFailed(_logger, explained.Message);
            if (ReferenceEquals(explained, failure))
            {
                throw;
            }

            throw explained;
        }
    }
}

using System.Net;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Configuration;

namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// The MongoDB client and the TaskQueue database's collections, shared by the task store, the reminder table, the
/// membership table and the gateway list. Start checks that the server answers and creates the indexes.
/// </summary>
/// <remarks>
/// Every collection writes with <c>w: "majority", j: true</c> and reads with read concern <c>majority</c>, whatever
/// the connection string says: an acknowledged task must survive the loss of the primary, and a read must never
/// return a write that a failover could roll back. On a standalone server both mean "on this server's journal".
/// </remarks>
internal sealed class MongoDbDatabase : IDisposable
{
    private static readonly WriteConcern Durable = WriteConcern.WMajority.With(journal: true);
    private readonly MongoDbStorageOptions _options;
    private readonly ILogger<MongoDbDatabase> _logger;
    private readonly MongoClient _client;
    private readonly IMongoDatabase _database;
    private readonly Lock _gate = new();
    private Task? _reachable;
    private Task? _started;

    public MongoDbDatabase(
        IOptions<MongoDbStorageOptions> options,
        ILogger<MongoDbDatabase> logger,
        ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _logger = logger;
        Servers = MongoDbRedaction.Servers(_options.ConnectionString);

        // The client connects lazily and in the background; nothing here waits for the server.
        _client = new MongoClient(CreateSettings(_options, loggerFactory));
        _database = _client.GetDatabase(_options.Database);
        Tasks = Collection(MongoDbCollections.Tasks);
        Reminders = Collection(MongoDbCollections.Reminders);
        Membership = Collection(MongoDbCollections.Membership);
    }

    /// <summary>The servers of the connection string, without credentials, for messages.</summary>
    public string Servers { get; }

    public string DatabaseName => _options.Database;

    public IMongoCollection<BsonDocument> Tasks { get; }

    public IMongoCollection<BsonDocument> Reminders { get; }

    public IMongoCollection<BsonDocument> Membership { get; }

    /// <summary>
    /// Checks that the server answers and creates the indexes (when configured). Later calls share the first
    /// successful start; a failed start is tried again by the next call.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started is null || _started.IsFaulted || _started.IsCanceled)
            {
                _started = StartCoreAsync();
            }

            return _started.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Checks that the server answers, without creating anything: what a client (gateway) needs.</summary>
    public Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reachable is null || _reachable.IsFaulted || _reachable.IsCanceled)
            {
                _reachable = PingAsync();
            }

            return _reachable.WaitAsync(cancellationToken);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The driver settings: the connection string, with the pool and server selection bounded by ours.</summary>
    internal static MongoClientSettings CreateSettings(
        MongoDbStorageOptions options,
        ILoggerFactory? loggerFactory)
    {
        var settings = MongoClientSettings.FromConnectionString(options.ConnectionString);
        settings.MaxConnectionPoolSize = options.MaxConnectionPoolSize;
        settings.MinConnectionPoolSize = Math.Min(settings.MinConnectionPoolSize, options.MaxConnectionPoolSize);
        settings.ServerSelectionTimeout = options.ServerSelectionTimeout;

        // The server logs the application name with each connection: operators see who is connected.
        settings.ApplicationName ??= "taskqueue";
        if (loggerFactory is not null)
        {
            settings.LoggingSettings = new LoggingSettings(loggerFactory);
        }

        return settings;
    }

    private IMongoCollection<BsonDocument> Collection(string name) =>
        _database.GetCollection<BsonDocument>(name)
            .WithWriteConcern(Durable)
            .WithReadConcern(ReadConcern.Majority)
            .WithReadPreference(ReadPreference.Primary);

    private async Task StartCoreAsync()
    {
        await EnsureReachableAsync(CancellationToken.None);
        if (!_options.CreateIndexesOnStart)
        {
            MongoDbStorageLog.IndexCreationOff(_logger, _options.Database);
            return;
        }

        foreach (var group in MongoDbIndexes.All.GroupBy(index => index.Collection))
        {
            var collection = _database.GetCollection<BsonDocument>(group.Key).WithWriteConcern(Durable);
            var names = string.Join(", ", group.Select(index => index.Name));
            try
            {
                await collection.Indexes.CreateManyAsync(group.Select(index => index.ToModel()));
            }
            catch (MongoCommandException conflict) when (conflict.Code is 85 or 86)
            {
                // 85 IndexOptionsConflict, 86 IndexKeySpecsConflict: an index of that name is not the one we need.
                throw new InvalidOperationException(
                    $"MongoDB database '{_options.Database}' has an index on '{group.Key}' that clashes with one "
                    + $"TaskQueue needs ({names}): {conflict.Message}. "
                    + "Drop the clashing index (docs/storage-mongodb.md lists the ones TaskQueue creates) and start "
                    + "again.",
                    conflict);
            }
            catch (MongoCommandException denied) when (denied.Code is 13)
            {
                throw new InvalidOperationException(
                    $"The MongoDB user may not create indexes in database '{_options.Database}' ({denied.Message}). "
                    + "Grant it the readWrite role, or create the indexes listed in docs/storage-mongodb.md and set "
                    + $"{IndexesSetting} to false.",
                    denied);
            }

            MongoDbStorageLog.IndexesEnsured(_logger, names, group.Key, _options.Database);
        }
    }

    private async Task PingAsync()
    {
        var setting = MongoDbStorageOptionsValidator.SettingAndVariable(nameof(MongoDbStorageOptions.ConnectionString));
        try
        {
            await _database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }
        catch (TimeoutException unreachable)
        {
            MongoDbStorageLog.Unreachable(_logger, Servers, _options.ServerSelectionTimeout);
            var timeoutSetting = MongoDbStorageOptionsValidator.SettingAndVariable(
                nameof(MongoDbStorageOptions.ServerSelectionTimeout));
            throw new InvalidOperationException(
                $"MongoDB at {Servers} did not answer within {_options.ServerSelectionTimeout}{ServerErrors()}. "
                + "Check that the server is running and that this host can reach it. The servers are set by "
                + $"{setting}, the wait by {timeoutSetting}.",
                unreachable);
        }
        catch (MongoException refused) when (FindAuthenticationFailure(refused) is { } authentication)
        {
            MongoDbStorageLog.Refused(_logger, Servers);
            throw new InvalidOperationException(
                $"MongoDB at {Servers} refused to authenticate the user in {setting}: "
                + $"{Redact(authentication.Message)}. Check the user name, the password and the authSource option.",
                refused);
        }
        catch (MongoException failed)
        {
            throw new InvalidOperationException(
                $"MongoDB at {Servers} could not be used ({setting}): {Redact(failed.Message)}",
                failed);
        }

        MongoDbStorageLog.Connected(_logger, Servers, _options.Database, _client.Cluster.Description.Type);
    }

    private static string IndexesSetting =>
        MongoDbStorageOptionsValidator.SettingAndVariable(nameof(MongoDbStorageOptions.CreateIndexesOnStart));

    private string Redact(string message) => MongoDbRedaction.Redact(message, _options.ConnectionString);

    /// <summary>What the driver's monitors last saw of each server (": db:27017: Connection refused"), or "".</summary>
    private string ServerErrors()
    {
        var errors = _client.Cluster.Description.Servers
            .Where(server => server.HeartbeatException is not null)
            .Select(server =>
                $"{EndPointText(server.EndPoint)}: {Redact(server.HeartbeatException.GetBaseException().Message)}")
            .ToList();
        return errors.Count == 0 ? "" : ": " + string.Join("; ", errors);
    }

    private static string EndPointText(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    private static MongoAuthenticationException? FindAuthenticationFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is MongoAuthenticationException authentication)
            {
                return authentication;
            }
        }

        return null;
    }
}

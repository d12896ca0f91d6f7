using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskQueue.Silo.Storage.MongoDb;
using TaskQueue.TestSupport.Network;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>Start-up and driver settings, with no server: a loopback port where nothing listens stands for one.</summary>
public sealed class MongoDbDatabaseTests
{
    private const string Password = "n0t-to-be-SEEN";

    [Fact]
    public async Task Start_NothingListening_FailsWithinTheTimeoutNamingServerAndSettings()
    {
        var port = FreePort.Next();
        using var database = Database($"mongodb://taskqueue:{Password}@127.0.0.1:{port}/?authSource=admin", 1);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => database.StartAsync(TestContext.Current.CancellationToken));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
        Assert.StartsWith(
            $"MongoDB at 127.0.0.1:{port} did not answer within 00:00:01: 127.0.0.1:{port}: Connection refused. ",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__MongoDb__ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("TaskQueue__Storage__MongoDb__ServerSelectionTimeout", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);

        // Nothing an operator sees of it, inner exceptions and stack included, holds the password.
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FailedOnce_TriesAgainOnTheNextCall()
    {
        using var database = Database($"mongodb://127.0.0.1:{FreePort.Next()}/", 0.2);

        var first = await Assert.ThrowsAsync<InvalidOperationException>(
            () => database.StartAsync(TestContext.Current.CancellationToken));
        var second = await Assert.ThrowsAsync<InvalidOperationException>(
            () => database.StartAsync(TestContext.Current.CancellationToken));

        // A new attempt, not the first failure handed out again: each waited for its own server selection.
        Assert.NotSame(first, second);
    }

    [Fact]
    public void CreateSettings_ConnectionStringAskingForMore_OurBoundsWin()
    {
        var options = new MongoDbStorageOptions
        {
            ConnectionString = "mongodb://db:27017/?maxPoolSize=1000&minPoolSize=200&serverSelectionTimeoutMS=600000"
                + "&appName=ops-console&w=1&readConcernLevel=local",
            MaxConnectionPoolSize = 16,
            ServerSelectionTimeout = TimeSpan.FromSeconds(7),
        };

        var settings = MongoDbDatabase.CreateSettings(options, loggerFactory: null);

        Assert.Equal(16, settings.MaxConnectionPoolSize);
        Assert.Equal(16, settings.MinConnectionPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.ServerSelectionTimeout);
        Assert.Equal("ops-console", settings.ApplicationName);
    }

    [Fact]
    public void CreateSettings_NoApplicationName_NamesTaskQueue()
    {
        var settings = MongoDbDatabase.CreateSettings(
            new MongoDbStorageOptions { ConnectionString = "mongodb://db:27017" }, loggerFactory: null);

        Assert.Equal("taskqueue", settings.ApplicationName);
        Assert.Equal(32, settings.MaxConnectionPoolSize);
    }

    [Fact]
    public void Collections_WhateverTheConnectionStringSays_WriteMajorityJournaledAndReadMajority()
    {
        using var database = Database("mongodb://127.0.0.1:1/?w=1&journal=false&readConcernLevel=local", 1);

        var collections = new[] { database.Tasks, database.Reminders, database.Membership };
        foreach (var collection in collections)
        {
            Assert.Equal("majority", collection.Settings.WriteConcern.W.ToString());
            Assert.True(collection.Settings.WriteConcern.Journal);
            Assert.Equal(MongoDB.Driver.ReadConcernLevel.Majority, collection.Settings.ReadConcern.Level);
            Assert.Equal(MongoDB.Driver.ReadPreference.Primary, collection.Settings.ReadPreference);
        }

        Assert.Equal(
            ["tasks", "reminders", "membership"],
            collections.Select(c => c.CollectionNamespace.CollectionName));
    }

    private static MongoDbDatabase Database(string connectionString, double timeoutSeconds) =>
        new(
            Options.Create(new MongoDbStorageOptions
            {
                ConnectionString = connectionString,
                ServerSelectionTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            }),
            NullLogger<MongoDbDatabase>.Instance);
}

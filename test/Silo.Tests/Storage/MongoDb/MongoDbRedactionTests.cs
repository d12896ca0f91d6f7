using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

public sealed class MongoDbRedactionTests
{
    [Theory]
    [InlineData("mongodb://admin:hunter2@db:27017/", "hunter2")]
    [InlineData("mongodb://admin:p%40ss%2Fword@db:27017/", "p@ss/word")]
    [InlineData("mongodb://admin:p%40ss%2Fword@db:27017/", "p%40ss%2Fword")]
    [InlineData("mongodb+srv://admin:hunter2@cluster.example/?retryWrites=true", "hunter2")]
    [InlineData("mongodb://db/?tlsCertificateKeyFilePassword=keypass", "keypass")]
    [InlineData("mongodb://db/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok3n", "tok3n")]
    public void Redact_TextQuotingASecret_HidesIt(string connectionString, string secret)
    {
        var text = $"The driver said: could not use '{secret}' from {connectionString} (again: {secret}).";

        var redacted = MongoDbRedaction.Redact(text, connectionString);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains("<connection string>", redacted, StringComparison.Ordinal);
        Assert.StartsWith("The driver said: could not use '****'", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_ConnectionStringWithoutSecrets_LeavesOtherTextAlone()
    {
        var redacted = MongoDbRedaction.Redact("Timeout after 30000ms selecting a server.", "mongodb://db:27017");

        Assert.Equal("Timeout after 30000ms selecting a server.", redacted);
    }

    [Theory]
    [InlineData("mongodb://admin:hunter2@db-0:27017,db-1:27018/?replicaSet=rs0", "db-0:27017, db-1:27018")]
    [InlineData("mongodb://db", "db:27017")]
    [InlineData("not a connection string", "<the servers of an invalid connection string>")]
    public void Servers_ConnectionString_HostsAndPortsWithoutCredentials(string connectionString, string expected)
    {
        Assert.Equal(expected, MongoDbRedaction.Servers(connectionString));
    }
}

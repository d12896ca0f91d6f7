using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

public sealed class MongoDbIndexesTests
{
    [Fact]
    public void All_EveryIndex_NamedOnceWithItsCollection()
    {
        Assert.Equal(
            [
                ("tasks", "tasks_by_user"),
                ("tasks", "tasks_by_user_status"),
                ("tasks", "tasks_by_status"),
                ("reminders", "reminders_by_grain"),
                ("reminders", "reminders_by_hash"),
            ],
            MongoDbIndexes.All.Select(index => (index.Collection, index.Name)));
    }

    [Fact]
    public void TasksByStatus_StatusThenTheListingsSortOrder_ServesEveryStatusRange()
    {
        var keys = MongoDbIndexes.TasksByStatus.Keys;

        Assert.Equal(new BsonDocument("status", 1), new BsonDocument(keys.Take(1)));
        Assert.Equal(TaskQueries.ListSort, new BsonDocument(keys.Skip(1)));
        Assert.False(MongoDbIndexes.TasksByStatus.Unique);
    }

    [Fact]
    public void RemindersByGrain_UniqueOnTheKeyUpsertsFilterOn()
    {
        var key = ReminderDocument.Key("svc", GrainId.Create("task", "k"), "recovery");

        Assert.True(MongoDbIndexes.RemindersByGrain.Unique);
        Assert.Equal(key.Names, MongoDbIndexes.RemindersByGrain.Keys.Names);
        Assert.All(MongoDbIndexes.RemindersByGrain.Keys.Values, value => Assert.Equal(1, value.AsInt32));
    }

    [Fact]
    public void RemindersByHash_ServiceThenHash_ServesRangeReads()
    {
        Assert.Equal(new BsonDocument { { "service_id", 1 }, { "grain_hash", 1 } }, MongoDbIndexes.RemindersByHash.Keys);
        Assert.False(MongoDbIndexes.RemindersByHash.Unique);
    }

    [Fact]
    public void ToModel_EachIndex_RendersItsKeysNameAndUniqueness()
    {
        foreach (var index in MongoDbIndexes.All)
        {
            var model = index.ToModel();

            var keys = model.Keys.Render(
                new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry));
            Assert.Equal(index.Keys, keys);
            Assert.Equal(index.Name, model.Options.Name);
            Assert.Equal(index.Unique, model.Options.Unique);
        }
    }
}

using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Silo.Storage.MongoDb;
using Xunit;

namespace TaskQueue.Silo.Tests.Storage.MongoDb;

/// <summary>
/// The listing's filters, sort and projection as the driver renders them for the server: keyset bounds, never a
/// skip, and shapes the task indexes serve.
/// </summary>
public sealed class TaskQueriesTests
{
    private static readonly DateTimeOffset CursorTime = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
    private static readonly Guid CursorId = Guid.Parse("0198c0de-1234-7abc-8def-0123456789ab");

    [Fact]
    public void ListFilter_FirstPage_OnlyTheUser()
    {
        var filter = Render(TaskQueries.ListFilter("alice", new TaskListQuery()));

        Assert.Equal(new BsonDocument("user_id", "alice"), filter);
    }

    [Fact]
    public void ListFilter_Status_UserAndStatusName()
    {
        var filter = Render(TaskQueries.ListFilter("alice", new TaskListQuery { Status = TaskState.Succeeded }));

        Assert.Equal(new BsonDocument { { "user_id", "alice" }, { "status", "succeeded" } }, filter);
    }

    [Fact]
    public void ListFilter_Cursor_KeysetBoundOnCreationTimeWithIdTieBreak()
    {
        var query = new TaskListQuery
        {
            Status = TaskState.Queued,
            After = new TaskCursor { CreatedAt = CursorTime, TaskId = CursorId },
        };

        var filter = Render(TaskQueries.ListFilter("alice", query));

        var time = new BsonDateTime(1_767_225_600_123);
        var id = new BsonBinaryData(CursorId.ToByteArray(bigEndian: true), BsonBinarySubType.UuidStandard);
        Assert.Equal(
            new BsonDocument
            {
                { "user_id", "alice" },
                { "status", "queued" },
                { "created_at", new BsonDocument("$lte", time) },
                {
                    "$or",
                    new BsonArray
                    {
                        new BsonDocument("created_at", new BsonDocument("$lt", time)),
                        new BsonDocument("_id", new BsonDocument("$lt", id)),
                    }
                },
            },
            filter);
    }

    [Fact]
    public void ListAllFilter_FirstPage_OnlyTheStatusOfAnyUser()
    {
        var filter = Render(TaskQueries.ListAllFilter("failed", new TaskListQuery()));

        Assert.Equal(new BsonDocument("status", "failed"), filter);
    }

    [Fact]
    public void ListAllFilter_Cursor_SameKeysetBoundAsTheUsersListing()
    {
        var query = new TaskListQuery { After = new TaskCursor { CreatedAt = CursorTime, TaskId = CursorId } };

        var filter = Render(TaskQueries.ListAllFilter("running", query));
        var users = Render(TaskQueries.ListFilter("alice", query));

        Assert.Equal(["status", "created_at", "$or"], filter.Names);
        Assert.Equal("running", filter["status"].AsString);
        Assert.Equal(users["created_at"], filter["created_at"]);
        Assert.Equal(users["$or"], filter["$or"]);
    }

    [Fact]
    public void ListFilter_UserIdLookingLikeAnOperator_IsAPlainValue()
    {
        var filter = Render(TaskQueries.ListFilter("$where", new TaskListQuery()));

        Assert.Equal(BsonType.String, filter["user_id"].BsonType);
        Assert.Equal("$where", filter["user_id"].AsString);
        Assert.Equal(["user_id"], filter.Names);
    }

    [Fact]
    public void ListSortAndIndexes_SortIsTheTailOfBothTaskIndexes()
    {
        var sort = Render(TaskQueries.ListSort);

        Assert.Equal(new BsonDocument { { "created_at", -1 }, { "_id", -1 } }, sort);
        Assert.Equal(new BsonDocument("user_id", 1).AddRange(sort), MongoDbIndexes.TasksByUser.Keys);
        Assert.Equal(
            new BsonDocument { { "user_id", 1 }, { "status", 1 } }.AddRange(sort),
            MongoDbIndexes.TasksByUserAndStatus.Keys);
    }

    [Fact]
    public void SummaryProjection_IndexFieldsOnly_NeverTheRecord()
    {
        Assert.Equal(
            ["_id", "user_id", "task_type", "status", "created_at", "updated_at", "attempt_count"],
            TaskQueries.SummaryProjection.Names);
        Assert.DoesNotContain("record", TaskQueries.SummaryProjection.Names);
    }

    [Fact]
    public void ByIdAndVersion_ConcurrencyCheck_MatchesIdAndVersion()
    {
        var version = ObjectId.GenerateNewId();

        var filter = Render(TaskQueries.ByIdAndVersion(CursorId, version));

        Assert.Equal(
            new BsonDocument
            {
                { "_id", new BsonBinaryData(CursorId.ToByteArray(bigEndian: true), BsonBinarySubType.UuidStandard) },
                { "version", version },
            },
            filter);
    }

    // What the driver sends for a filter given as a document.
    private static BsonDocument Render(BsonDocument filter) =>
        ((FilterDefinition<BsonDocument>)filter).Render(
            new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry));
}

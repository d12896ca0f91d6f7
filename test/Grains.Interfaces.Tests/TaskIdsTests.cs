using Xunit;

namespace TaskQueue.Grains.Interfaces.Tests;

public sealed class TaskIdsTests
{
    [Fact]
    public void New_IdsSortByCreationTime()
    {
        var first = TaskIds.New();
        Thread.Sleep(2);
        var second = TaskIds.New();

        Assert.Equal(7, first.Version);
        Assert.True(string.CompareOrdinal(first.ToString(), second.ToString()) < 0);
    }

    [Fact]
    public void ForIdempotencyKey_SameUserAndKey_GivesTheSameId()
    {
        Assert.Equal(TaskIds.ForIdempotencyKey("alice", "order-42"), TaskIds.ForIdempotencyKey("alice", "order-42"));
    }

    [Fact]
    public void ForIdempotencyKey_OtherUserOrKey_GivesAnotherId()
    {
        var id = TaskIds.ForIdempotencyKey("alice", "order-42");

        Assert.NotEqual(id, TaskIds.ForIdempotencyKey("bob", "order-42"));
        Assert.NotEqual(id, TaskIds.ForIdempotencyKey("alice", "order-43"));
        Assert.NotEqual(TaskIds.ForIdempotencyKey("a", "bc"), TaskIds.ForIdempotencyKey("ab", "c"));
    }

    [Fact]
    public void ForIdempotencyKey_IsAWellFormedVersion8Uuid()
    {
        var id = TaskIds.ForIdempotencyKey("alice", "order-42");

        Assert.Equal(8, id.Version);
        Assert.Equal(0b1000, id.Variant & 0b1100);
    }
}

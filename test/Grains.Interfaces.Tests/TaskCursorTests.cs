using Xunit;

namespace TaskQueue.Grains.Interfaces.Tests;

public sealed class TaskCursorTests
{
    [Fact]
    public void ToString_ThenTryParse_GivesTheSameCursor()
    {
        var cursor = new TaskCursor
        {
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_123),
            TaskId = Guid.CreateVersion7(),
        };

        Assert.True(TaskCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
    }

    [Fact]
    public void ToString_IsUrlSafe()
    {
        var text = new TaskCursor { CreatedAt = DateTimeOffset.UnixEpoch.AddYears(60), TaskId = Guid.NewGuid() }.ToString();

        Assert.Matches("^[A-Za-z0-9_-]{32}$", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not a cursor at all, not at all!")]
    [InlineData("////////////////////////////////")]
    [InlineData("________________________________")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParse_Garbage_IsRefused(string? text)
    {
        Assert.False(TaskCursor.TryParse(text, out var cursor));
        Assert.Null(cursor);
    }
}

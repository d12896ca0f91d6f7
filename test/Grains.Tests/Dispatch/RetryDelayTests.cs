using TaskQueue.Grains.Dispatch;
using TaskQueue.Grains.TaskTypes;
using Xunit;

namespace TaskQueue.Grains.Tests.Dispatch;

public sealed class RetryDelayTests
{
    private static readonly TaskTypeOptions Type = new()
    {
        InitialBackoff = TimeSpan.FromSeconds(2),
        MaxBackoff = TimeSpan.FromSeconds(30),
        MaxRetryAfter = TimeSpan.FromMinutes(10),
    };

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(40, 30)]
    public void After_NoRetryAfterWithMiddleJitter_DoublesFromInitialUpToMax(int attempt, double expectedSeconds)
    {
        var delay = RetryDelay.After(attempt, retryAfter: null, Type, random: 0.5);

        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 6);
    }

    [Theory]
    [InlineData(0.0, 1.6)]
    [InlineData(1.0, 2.4)]
    public void After_ExtremeJitter_StaysWithinTwentyPercent(double random, double expectedSeconds)
    {
        var delay = RetryDelay.After(1, retryAfter: null, Type, random);

        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 6);
    }

    [Theory]
    [InlineData(0.0, 7.0)]
    [InlineData(0.5, 7.7)]
    [InlineData(1.0, 8.4)]
    public void After_RetryAfterGiven_WaitsAtLeastThatLongAndAtMostTwentyPercentMore(double random, double expectedSeconds)
    {
        var delay = RetryDelay.After(1, TimeSpan.FromSeconds(7), Type, random);

        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 6);
    }

    [Fact]
    public void After_RetryAfterBeyondLimit_IsCappedAtMaxRetryAfter()
    {
        var delay = RetryDelay.After(1, TimeSpan.FromDays(3), Type, random: 0.0);

        Assert.Equal(Type.MaxRetryAfter, delay);
    }

    [Fact]
    public void After_RetryAfterInThePast_RetriesAtOnce()
    {
        var delay = RetryDelay.After(1, TimeSpan.FromSeconds(-5), Type, random: 0.5);

        Assert.Equal(TimeSpan.Zero, delay);
    }
}

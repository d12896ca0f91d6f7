using System.Net.Http.Headers;
using TaskQueue.Grains.Dispatch;
using Xunit;

namespace TaskQueue.Grains.Tests.Dispatch;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_Seconds_AnswersThatDelay()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(42));

        Assert.Equal(TimeSpan.FromSeconds(42), RetryAfterHeader.Read(response, Now));
    }

    [Fact]
    public void Read_HttpDate_AnswersTheTimeUntilThen()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(3));

        Assert.Equal(TimeSpan.FromMinutes(3), RetryAfterHeader.Read(response, Now));
    }

    [Fact]
    public void Read_DateInThePast_AnswersZero()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(-3));

        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Read(response, Now));
    }

    [Fact]
    public void Read_NoHeaderOrGarbage_AnswersNull()
    {
        using var none = new HttpResponseMessage();
        using var garbage = new HttpResponseMessage();
        garbage.Headers.TryAddWithoutValidation("Retry-After", "soon, maybe");

        Assert.Null(RetryAfterHeader.Read(none, Now));
        Assert.Null(RetryAfterHeader.Read(garbage, Now));
    }
}

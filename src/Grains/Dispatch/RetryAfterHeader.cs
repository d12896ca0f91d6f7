using System.Net.Http.Headers;

namespace TaskQueue.Grains.Dispatch;

/// <summary>Reads <c>Retry-After</c> in either of its forms (seconds, or an HTTP date).</summary>
public static class RetryAfterHeader
{
    public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not RetryConditionHeaderValue header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}

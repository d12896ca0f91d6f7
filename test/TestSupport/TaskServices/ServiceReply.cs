namespace TaskQueue.TestSupport.TaskServices;

/// <summary>What a scripted task service answers to one call.</summary>
public sealed record ServiceReply
{
    public int Status { get; init; } = 200;

    public string Body { get; init; } = "";

    public string ContentType { get; init; } = "application/json";

    /// <summary>Sent as Retry-After in seconds, when set.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>How long to hold the request before answering (cancelled when the caller goes away).</summary>
    public TimeSpan Delay { get; init; }

    public static ServiceReply Ok(string body, string contentType = "application/json") =>
        new() { Body = body, ContentType = contentType };

    public static ServiceReply Fail(int status, string body = "", int? retryAfterSeconds = null) =>
        new() { Status = status, Body = body, RetryAfterSeconds = retryAfterSeconds, ContentType = "text/plain" };

    public static ServiceReply Problem(int status, string detail) => new()
    {
        Status = status,
        ContentType = "application/problem+json",
        Body = System.Text.Json.JsonSerializer.Serialize(new { title = "Refused", status, detail }),
    };
}

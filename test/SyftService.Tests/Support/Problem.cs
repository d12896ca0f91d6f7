using System.Net;
using System.Text.Json;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>A problem details answer as the task queue reads it.</summary>
internal sealed record Problem(int Status, string Title, string Detail, JsonElement? Errors)
{
    /// <summary>Reads a problem answer, checking its media type and that its status matches the response's.</summary>
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        var problem = new Problem(
            root.GetProperty("status").GetInt32(),
            root.GetProperty("title").GetString()!,
            root.GetProperty("detail").GetString()!,
            root.TryGetProperty("errors", out var errors) ? errors.Clone() : null);
        Assert.Equal((int)response.StatusCode, problem.Status);
        return problem;
    }

    /// <summary>Asserts the status and that <c>Retry-After</c> is a whole number of seconds; answers it.</summary>
    public static int RetryAfterSeconds(HttpResponseMessage response)
    {
        var delta = response.Headers.RetryAfter?.Delta;
        Assert.True(delta is not null, $"No Retry-After seconds on the {(int)response.StatusCode} answer.");
        return (int)delta.Value.TotalSeconds;
    }

    public static void AssertStatus(HttpStatusCode expected, HttpResponseMessage response, string? body = null) =>
        Assert.True(
            expected == response.StatusCode,
            $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
}

using System.Net.Http.Headers;
using System.Text.Json;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>Checks that an answer is problem details (RFC 9457) with every member the API promises.</summary>
public static class ProblemAssert
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Asserts the status and problem shape of an HttpClient response and answers its JSON.</summary>
    public static async Task<JsonElement> IsProblemAsync(
        HttpResponseMessage response,
        int expectedStatus,
        CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(
            (int)response.StatusCode == expectedStatus,
            $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        return HasProblemMembers(body, expectedStatus);
    }

    /// <summary>Asserts the status and problem shape of a raw answer and answers its JSON.</summary>
    public static JsonElement IsProblem(int status, string? contentType, string body, int expectedStatus)
    {
        Assert.True(status == expectedStatus, $"Expected {expectedStatus}, got {status}: {body}");
        Assert.True(
            MediaTypeHeaderValue.TryParse(contentType, out var mediaType) && mediaType.MediaType == ProblemJson,
            $"Expected {ProblemJson}, got '{contentType}': {body}");
        return HasProblemMembers(body, expectedStatus);
    }

    /// <summary>The <c>errors</c> member's keys of a validation problem.</summary>
    public static IReadOnlyList<string> ErrorKeys(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? [.. errors.EnumerateObject().Select(e => e.Name)]
            : [];

    private static JsonElement HasProblemMembers(string body, int expectedStatus)
    {
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, problem.ValueKind);
        Assert.Equal(expectedStatus, problem.GetProperty("status").GetInt32());
        foreach (var member in new[] { "type", "title", "detail" })
        {
            Assert.True(
                problem.TryGetProperty(member, out var value)
                && value.ValueKind == JsonValueKind.String
                && value.GetString()!.Length > 0,
                $"The problem has no '{member}': {body}");
        }

        return problem;
    }
}

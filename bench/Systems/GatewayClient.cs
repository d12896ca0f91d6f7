using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace TaskQueue.Bench.Systems;

/// <summary>What a user's program does against the real gateway: submit, list, read, over HTTP.</summary>
internal sealed class GatewayClient : IDisposable
{
    private const string UserHeader = "X-User-Id";
    private static readonly byte[] SubmitBody = Encoding.UTF8.GetBytes(
        "{\"task_request\":{\"task_type\":\"" + BenchSettings.TaskType + "\",\"params\":{}}}");

    private readonly HttpClient _http;
    private readonly Uri _gateway;

    public GatewayClient(Uri gateway, int connections)
    {
        _gateway = gateway;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Submits one no-op task; answers how long the gateway took to accept it.</summary>
    public async Task<double> SubmitAsync(string userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway, "/tasks"))
        {
            Content = new ByteArrayContent(SubmitBody) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add(UserHeader, userId);
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"POST /tasks answered {(int)response.StatusCode}: {body}");
        }

        return elapsed;
    }

    /// <summary>One page of the user's tasks, newest first, and the cursor of the next page.</summary>
    public async Task<(IReadOnlyList<TaskRow> Rows, string? NextCursor)> ListAsync(
        string userId,
        string? status,
        int limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        var query = $"/tasks?limit={limit}"
            + (status is null ? "" : "&status=" + status)
            + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gateway, query));
        request.Headers.Add(UserHeader, userId);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var page = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var rows = page.RootElement.GetProperty("items").EnumerateArray()
            .Select(item => new TaskRow(
                item.GetProperty("id").GetGuid(),
                item.GetProperty("status").GetString() ?? "",
                item.GetProperty("created_at").GetDateTimeOffset(),
                item.GetProperty("updated_at").GetDateTimeOffset()))
            .ToList();
        var next = page.RootElement.TryGetProperty("next_cursor", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;
        return (rows, next);
    }

    /// <summary>Every task of the user, newest first, read page by page (100 a page).</summary>
    public async Task<List<TaskRow>> ListAllAsync(string userId, CancellationToken cancellationToken)
    {
        var all = new List<TaskRow>();
        string? cursor = null;
        do
        {
            var (rows, next) = await ListAsync(userId, null, 100, cursor, cancellationToken);
            all.AddRange(rows);
            cursor = next;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>One task as <c>GET /tasks/{id}</c> shows it.</summary>
    public async Task<JsonElement> GetAsync(string userId, Guid taskId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gateway, $"/tasks/{taskId}"));
        request.Headers.Add(UserHeader, userId);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Times one request to <paramref name="pathAndQuery"/> as the user, body read to the end.</summary>
    public async Task<double> TimeGetAsync(string userId, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gateway, pathAndQuery));
        request.Headers.Add(UserHeader, userId);
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, cancellationToken);
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }

    public void Dispose() => _http.Dispose();
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>An HttpClient on the gateway that speaks as one user; answers parsed JSON.</summary>
public sealed class GatewayClient(HttpClient http, string userId) : IDisposable
{
    public HttpClient Http { get; } = http;

    public string UserId { get; } = userId;

    public static string TaskRequestJson(string image, string taskType = "syft") =>
        JsonSerializer.Serialize(new
        {
            task_request = new
            {
                task_type = taskType,
                @params = new Dictionary<string, string> { ["docker_image_id"] = image },
            },
        });

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? json = null,
        string? idempotencyKey = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-User-Id", UserId);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> SubmitAsync(string image, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, "/tasks", TaskRequestJson(image), idempotencyKey);

    /// <summary>Submits and asserts 202; answers the task.</summary>
    public async Task<JsonElement> SubmitAcceptedAsync(string image)
    {
        using var response = await SubmitAsync(image);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return Parse(body);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}: {body}");
        return Parse(body);
    }

    /// <summary>Polls the task until <paramref name="done"/> holds; fails after 30 seconds.</summary>
    public async Task<JsonElement> WaitForTaskAsync(Guid taskId, Func<JsonElement, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        JsonElement last = default;
        while (!timeout.IsCancellationRequested)
        {
            last = await GetJsonAsync($"/tasks/{taskId}");
            if (done(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        throw new TimeoutException($"Task {taskId} did not get there in time; last seen: {last}");
    }

    public Task<JsonElement> WaitForStatusAsync(Guid taskId, string status) =>
        WaitForTaskAsync(taskId, t => t.GetProperty("status").GetString() == status);

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public void Dispose() => Http.Dispose();
}

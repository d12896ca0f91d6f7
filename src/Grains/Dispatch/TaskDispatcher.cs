using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Results;
using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Dispatch;

/// <summary>
/// Runs one attempt: POSTs the parameters to the task type's service within its deadline, streams a 2xx
/// body into the result store, and classifies everything else as a failure that can pass or one that cannot.
/// It never throws for what the service or the network did; only cancellation by the caller escapes.
/// </summary>
public sealed partial class TaskDispatcher(
    IHttpClientFactory httpClients,
    IResultStore results,
    TimeProvider time,
    TaskQueueMetrics metrics,
    ILogger<TaskDispatcher> logger)
{
    /// <summary>The named HttpClient attempts use; the silo host configures its handler.</summary>
    public const string HttpClientName = "TaskQueue.Dispatch";

    public const string TaskIdHeader = "X-TaskQueue-Task-Id";

    public const string AttemptHeader = "X-TaskQueue-Attempt";

    public async Task<AttemptResult> RunAsync(
        TaskTypeDefinition type,
        Guid taskId,
        int attempt,
        IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(type.Options.AttemptDeadline);
        AttemptResult result;
        try
        {
            result = await CallAsync(type, taskId, attempt, parameters, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = AttemptResult.Transient($"The attempt passed its deadline of {type.Options.AttemptDeadline}.");
        }
        catch (HttpRequestException e)
        {
            result = AttemptResult.Transient(ConnectionProblem(e));
        }
        catch (IOException e)
        {
            result = AttemptResult.Transient($"The connection to the service broke: {e.Message}");
        }

        metrics.AttemptEnded(type.Name, result.Outcome, Stopwatch.GetElapsedTime(started));
        if (result.Outcome != AttemptOutcome.Succeeded)
        {
            LogAttemptFailed(taskId, type.Name, attempt, result.Outcome, result.Message);
        }

        return result;
    }

    private async Task<AttemptResult> CallAsync(
        TaskTypeDefinition type,
        Guid taskId,
        int attempt,
        IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, type.Options.Endpoint)
        {
            Content = JsonContent.Create(parameters),
        };
        request.Headers.Add(TaskIdHeader, taskId.ToString());
        request.Headers.Add(AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await StoreResultAsync(type, taskId, response, cancellationToken);
        }

        var status = (int)response.StatusCode;
        var message = await ServiceMessage.ReadAsync(response, cancellationToken);
        if (CanPass(response.StatusCode))
        {
            return AttemptResult.Transient(message, status, RetryAfterHeader.Read(response, time.GetUtcNow()));
        }

        return AttemptResult.Permanent("permanent_failure", message, status);
    }

    private async Task<AttemptResult> StoreResultAsync(
        TaskTypeDefinition type,
        Guid taskId,
        HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var maxBytes = type.Options.MaxResultBytes;
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes, status);
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var stored = await results.PutAsync(taskId, body, mediaType, maxBytes, cancellationToken);
            return new AttemptResult
            {
                Outcome = AttemptOutcome.Succeeded,
                StatusCode = status,
                Result = new TaskResultInfo { SizeBytes = stored.SizeBytes, MediaType = mediaType, Sha256 = stored.Sha256 },
            };
        }
        catch (ResultTooLargeException)
        {
            return TooLarge(maxBytes, status);
        }
        catch (Exception e) when (e is not OperationCanceledException and not HttpRequestException and not IOException)
        {
            // The service did its work but the result could not be kept: the store may be back next time.
            LogResultNotStored(e, taskId);
            return AttemptResult.Transient($"The result could not be stored: {e.Message}", status);
        }
    }

    private static AttemptResult TooLarge(long maxBytes, int status) =>
        AttemptResult.Permanent(
            "result_too_large",
            $"The service's result is larger than this task type's limit of {maxBytes} bytes.",
            status);

    private static bool CanPass(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string ConnectionProblem(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => $"The service could not be reached: {socket.SocketErrorCode} ({socket.Message}).",
        { } inner => $"The service could not be reached: {inner.Message}",
        null => $"The service could not be reached: {e.Message}",
    };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug,
        Message = "Attempt {Attempt} of task {TaskId} ({TaskType}) ended {Outcome}: {Reason}")]
    private partial void LogAttemptFailed(Guid taskId, string taskType, int attempt, AttemptOutcome outcome, string? reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error,
        Message = "The result of task {TaskId} could not be stored")]
    private partial void LogResultNotStored(Exception exception, Guid taskId);
}

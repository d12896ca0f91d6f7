using System.Text.Json;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.ClientSample;

/// <summary>What the sample can do, each one grain call or two.</summary>
internal sealed class Commands(IClusterClient cluster)
{
    /// <summary>Runs one command; answers what to print, or null when the task does not exist for the user.</summary>
    public Task<object?> RunAsync(string[] args) => args[0] switch
    {
        "submit" when args.Length >= 3 => SubmitAsync(args[1], args[2], args[3..]),
        "get" when args.Length == 3 => GetAsync(args[1], args[2]),
        "list" when args.Length is 2 or 3 => ListAsync(args[1], args.Length == 3 ? args[2] : null),
        _ => throw new ArgumentException($"Unknown command or wrong arguments: {string.Join(' ', args)}"),
    };

    private async Task<object?> SubmitAsync(string userId, string taskType, string[] parameters)
    {
        var submission = new TaskSubmission
        {
            UserId = userId,
            TaskType = taskType,
            Parameters = parameters
                .Select(p => p.Split('=', 2))
                .ToDictionary(
                    p => p[0],
                    p => p.Length == 2 ? p[1] : throw new ArgumentException($"A parameter is name=value, not '{p[0]}'.")),
        };

        // The task grain validates exactly as it does for the HTTP gateway: errors come back, not exceptions.
        var result = await cluster.GetGrain<ITaskGrain>(TaskIds.New()).SubmitAsync(submission);
        return result;
    }

    private async Task<object?> GetAsync(string userId, string taskId) =>
        Guid.TryParse(taskId, out var id) ? await cluster.GetGrain<ITaskGrain>(id).GetAsync(userId) : null;

    private async Task<object?> ListAsync(string userId, string? status)
    {
        var query = new TaskListQuery
        {
            Status = status is null ? null : ParseStatus(status),
            Limit = TaskListQuery.MaxLimit,
        };
        return await cluster.GetGrain<IUserTasksGrain>(userId).ListAsync(query);
    }

    // Only the names the HTTP API writes: Enum.Parse would also take "3" or "queued,failed".
    private static TaskState ParseStatus(string status)
    {
        var names = Enum.GetValues<TaskState>().ToDictionary(s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()));
        return names.TryGetValue(status.ToLowerInvariant(), out var state)
            ? state
            : throw new ArgumentException($"Unknown status '{status}'; use one of: {string.Join(", ", names.Keys)}.");
    }
}

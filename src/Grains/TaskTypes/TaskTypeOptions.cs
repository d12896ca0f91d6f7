namespace TaskQueue.Grains.TaskTypes;

/// <summary>
/// One task type: the HTTP service that runs it and how the queue treats its attempts. Configured under
/// <c>TaskQueue:TaskTypes:&lt;name&gt;</c>; adding a task type is a new service plus these lines.
/// </summary>
public sealed class TaskTypeOptions
{
    /// <summary>
    /// The service's URL; every attempt is a POST of the parameters as a JSON object to it. Required.
    /// On Kubernetes, the Knative Service's cluster-local URL.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>What the task type does, shown by <c>GET /task-types</c>. Default: none.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// How long one attempt may take, from the request to the last byte of the result, before it is
    /// abandoned and retried. Default: 10 minutes. Keep the Knative Service's timeout equal to it.
    /// </summary>
    public TimeSpan AttemptDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many attempts a task may take in all, 1 to 100. Default: 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; each later one waits twice as long. Default: 2 seconds.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts that backoff may reach. Default: 5 minutes.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest <c>Retry-After</c> the queue honours; a service asking for more waits this long.
    /// Default: 1 hour.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many attempts of this type one silo runs at once; the rest wait, still queued, for a slot.
    /// Default: 64. Set it to what the service can take (with Knative, containerConcurrency times the
    /// number of pods it may scale to, divided by the number of silos).
    /// </summary>
    public int MaxConcurrentAttempts { get; set; } = 64;

    /// <summary>The largest result stored; a larger one fails the task. Default: 256 MiB.</summary>
    public long MaxResultBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The parameters a task of this type takes, by name. Default: none.</summary>
    public Dictionary<string, TaskParameterOptions> Parameters { get; set; } = new(StringComparer.Ordinal);
}

using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Hosting;

/// <summary>Refuses cluster settings a silo cannot start with, naming the setting to fix.</summary>
public sealed class TaskQueueClusterOptionsValidator : IValidateOptions<TaskQueueClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskQueueClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("TaskQueue:Cluster:ClusterId must not be empty (environment variable TaskQueue__Cluster__ClusterId).");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("TaskQueue:Cluster:ServiceId must not be empty (environment variable TaskQueue__Cluster__ServiceId).");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add("TaskQueue:Cluster:SiloPort must be from 1 to 65535 (environment variable TaskQueue__Cluster__SiloPort).");
        }

        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            failures.Add("TaskQueue:Cluster:GatewayPort must be from 1 to 65535 and differ from SiloPort " +
                "(environment variable TaskQueue__Cluster__GatewayPort).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

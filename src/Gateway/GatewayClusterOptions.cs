using Microsoft.Extensions.Options;

namespace TaskQueue.Gateway;

/// <summary>
/// Which Orleans cluster the gateway connects to as a client. Section <c>TaskQueue:Cluster</c>, the same
/// section the silos read, so one setting names the cluster for both. Unused when the gateway hosts the silo.
/// </summary>
public sealed class GatewayClusterOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "TaskQueue:Cluster";

    /// <summary>The cluster's id: only silos and clients with the same id talk. Default <c>taskqueue</c>.</summary>
    public string ClusterId { get; set; } = "taskqueue";

    /// <summary>The service's id, stable across deployments of the cluster. Default <c>taskqueue</c>.</summary>
    public string ServiceId { get; set; } = "taskqueue";

    /// <summary>The Orleans gateway port of the silo on this machine (localhost clustering). Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;
}

/// <summary>Refuses cluster settings that cannot work, naming the setting and its environment variable.</summary>
internal sealed class GatewayClusterOptionsValidator : IValidateOptions<GatewayClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayClusterOptions options)
    {
        var failures = new List<string>();

        if (!IsId(options.ClusterId))
        {
            failures.Add(Describe(nameof(GatewayClusterOptions.ClusterId), "must be 1-64 letters, digits, '-' or '_'"));
        }

        if (!IsId(options.ServiceId))
        {
            failures.Add(Describe(nameof(GatewayClusterOptions.ServiceId), "must be 1-64 letters, digits, '-' or '_'"));
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            failures.Add(Describe(
                nameof(GatewayClusterOptions.GatewayPort),
                $"must be a TCP port from 1 to 65535, not {options.GatewayPort}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Describe(string key, string problem) =>
        $"{GatewayClusterOptions.SectionName}:{key} {problem} (environment variable TaskQueue__Cluster__{key}).";
}

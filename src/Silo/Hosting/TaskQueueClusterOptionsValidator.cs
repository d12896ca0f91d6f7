using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Hosting;

/// <summary>Refuses cluster settings a silo or client cannot start with, naming the setting to fix.</summary>
public sealed partial class TaskQueueClusterOptionsValidator : IValidateOptions<TaskQueueClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskQueueClusterOptions options)
    {
        var failures = new List<string>();
        Check(IdRegex().IsMatch(options.ClusterId), "ClusterId", "must be 1-64 letters, digits, '-' or '_'", failures);
        Check(IdRegex().IsMatch(options.ServiceId), "ServiceId", "must be 1-64 letters, digits, '-' or '_'", failures);
        Check(options.SiloPort is >= 1 and <= 65535, "SiloPort", "must be from 1 to 65535", failures);
        Check(options.GatewayPort is >= 1 and <= 65535 && options.GatewayPort != options.SiloPort,
            "GatewayPort", "must be from 1 to 65535 and differ from SiloPort", failures);
        Check(options.AdvertisedAddress is null || IsReachable(options.AdvertisedAddress),
            "AdvertisedAddress", "must be an IP address others can reach, not 0.0.0.0 or :: (on Kubernetes, the pod's IP)",
            failures);
        Check(options.ShutdownTimeout > TimeSpan.Zero && options.ShutdownTimeout <= TimeSpan.FromMinutes(10),
            "ShutdownTimeout", "must be more than zero and at most 10 minutes", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // 0.0.0.0 and :: name no machine: advertised in the membership table, no silo or client could connect to them.
    private static bool IsReachable(string address) =>
        IPAddress.TryParse(address, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any);

    private static void Check(bool ok, string setting, string rule, List<string> failures)
    {
        if (!ok)
        {
            failures.Add($"{TaskQueueClusterOptions.SectionName}:{setting} {rule} (environment variable TaskQueue__Cluster__{setting}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdRegex();
}

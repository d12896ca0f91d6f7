using System.Globalization;

namespace TaskQueue.Bench.Systems;

/// <summary>The settings every benchmark gives the product, as configuration keys; processes get them as variables.</summary>
internal static class BenchSettings
{
    /// <summary>The task type every benchmark submits: it points at the no-op endpoint.</summary>
    public const string TaskType = "noop";

    /// <summary>The no-op task type, with <paramref name="maxConcurrentAttempts"/> attempts at a time per silo.</summary>
    public static Dictionary<string, string?> NoopTaskType(Uri endpoint, int maxConcurrentAttempts)
    {
        const string Prefix = "TaskQueue:TaskTypes:" + TaskType + ":";
        return new Dictionary<string, string?>
        {
            [Prefix + "Endpoint"] = endpoint.ToString(),
            [Prefix + "Description"] = "Does nothing: the benchmarks' task type.",
            [Prefix + "AttemptDeadline"] = "00:00:30",
            [Prefix + "MaxAttempts"] = "3",
            [Prefix + "InitialBackoff"] = "00:00:01",
            [Prefix + "MaxBackoff"] = "00:00:05",
            [Prefix + "MaxConcurrentAttempts"] = maxConcurrentAttempts.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Log levels for a fair run: Warning, as an operator who wants throughput would set them. The product logs
    /// each task's acceptance and end at Information; the benchmark says what that costs separately.
    /// </summary>
    public static Dictionary<string, string?> Logging(string level = "Warning") => new()
    {
        ["Logging:LogLevel:Default"] = level,
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Warning",
        ["Logging:LogLevel:Microsoft"] = "Warning",
    };

    /// <summary>The cluster's names and this silo's ports.</summary>
    public static Dictionary<string, string?> Cluster(string clusterId, int siloPort, int gatewayPort) => new()
    {
        ["TaskQueue:Cluster:ClusterId"] = clusterId,
        ["TaskQueue:Cluster:ServiceId"] = clusterId,
        ["TaskQueue:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
        ["TaskQueue:Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        ["TaskQueue:Cluster:AdvertisedAddress"] = "127.0.0.1",
    };

    /// <summary>All of <paramref name="parts"/> in one dictionary; later parts win.</summary>
    public static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>The same settings as environment variables (<c>TaskQueue__Section__Key</c>).</summary>
    public static Dictionary<string, string?> AsEnvironment(Dictionary<string, string?> settings) =>
        settings.ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
}

using System.Net;

namespace TaskQueue.SyftService.Registry;

/// <summary>Comparisons of registry hosts as image references write them (<c>host[:port]</c>).</summary>
internal static class RegistryHosts
{
    /// <summary>Where Docker Hub's registry API really answers; <c>docker.io</c> is only its name.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    private static readonly string[] DockerHubNames = ["docker.io", "index.docker.io", DockerHubApiHost];

    public static bool IsDockerHub(string host) =>
        DockerHubNames.Contains(host, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether two hosts are the same registry: case-insensitive, Docker Hub's names all equal.</summary>
    public static bool SameHost(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || (IsDockerHub(a) && IsDockerHub(b));

    /// <summary>Whether the host is <c>localhost</c> or a loopback address (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string hostWithPort)
    {
        var host = HostOnly(hostWithPort);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The host without its port; IPv6 addresses keep their brackets.</summary>
    public static string HostOnly(string hostWithPort)
    {
        if (hostWithPort.StartsWith('['))
        {
            var close = hostWithPort.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? hostWithPort : hostWithPort[..(close + 1)];
        }

        var colon = hostWithPort.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? hostWithPort : hostWithPort[..colon];
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Hosting;

/// <summary>
/// Refuses to start a silo on a port where something already listens. Orleans opens its listeners with address
/// reuse, which on Linux lets a second process bind the very same port: a second silo started with the first one's
/// SiloPort (an easy slip on one machine) then answers for it, and membership declares the running silo dead. A
/// connection, not a bind, is the probe: a port a stopped silo left in TIME_WAIT refuses connections and is free.
/// </summary>
internal sealed class SiloPortsFreeCheck : IValidateOptions<TaskQueueClusterOptions>
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);

    // Once the silo runs the ports are its own: options built again later must not find them taken.
    private int _checked;

    public ValidateOptionsResult Validate(string? name, TaskQueueClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Interlocked.Exchange(ref _checked, 1) == 1)
        {
            return ValidateOptionsResult.Success;
        }

        var address = IPAddress.TryParse(options.AdvertisedAddress, out var advertised) ? advertised : IPAddress.Loopback;
        var failures = new List<string>();
        foreach (var (setting, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort) })
        {
            if (port is > 0 and <= IPEndPoint.MaxPort && IsListenedOn(new IPEndPoint(address, port)))
            {
                failures.Add(
                    $"{TaskQueueClusterOptions.SectionName}:{setting} {port} is already in use on {address}: another silo "
                    + "or program listens there. Give each silo on a machine its own ports (environment variable "
                    + $"TaskQueue__Cluster__{setting}); a silo sharing a port would have the running one declared dead.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsListenedOn(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            return socket.ConnectAsync(endpoint).Wait(ProbeTimeout);
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }
}

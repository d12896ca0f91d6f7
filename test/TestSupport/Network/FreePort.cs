using System.Net;
using System.Net.Sockets;

namespace TaskQueue.TestSupport.Network;

/// <summary>Loopback ports nobody is listening on, so parallel tests never collide.</summary>
public static class FreePort
{
    /// <summary>A port the operating system just handed out on 127.0.0.1 and released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

namespace TaskQueue.Gateway.Hosting;

/// <summary>
/// Whether grain calls can be made yet: the client has connected, or the co-hosted silo is active. Before
/// that a grain call would fail deep inside Orleans; with this the gateway answers 503 instead.
/// </summary>
internal sealed class ClusterConnectionState
{
    private volatile bool _connected;

    public bool IsConnected => _connected;

    public void SetConnected(bool connected) => _connected = connected;
}

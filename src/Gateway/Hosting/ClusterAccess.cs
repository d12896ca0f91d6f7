namespace TaskQueue.Gateway.Hosting;

/// <summary>
/// The grain factory, handed out only while the cluster can be called: the client's in client mode, the
/// silo's when the gateway co-hosts it. Endpoints never see the difference.
/// </summary>
internal sealed class ClusterAccess(IGrainFactory grainFactory, ClusterConnectionState state)
{
    /// <summary>The grain factory; throws <see cref="ClusterNotConnectedException"/> while not connected.</summary>
    public IGrainFactory Grains => state.IsConnected ? grainFactory : throw new ClusterNotConnectedException();
}

namespace TaskQueue.Gateway.Hosting;

/// <summary>The gateway has not connected to the cluster yet (or is leaving it); nothing was sent.</summary>
internal sealed class ClusterNotConnectedException : Exception
{
    public ClusterNotConnectedException()
        : base("The gateway is not connected to the task cluster.")
    {
    }

    public ClusterNotConnectedException(string message)
        : base(message)
    {
    }

    public ClusterNotConnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

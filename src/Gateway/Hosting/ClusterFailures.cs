using Orleans.Networking.Shared;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace TaskQueue.Gateway.Hosting;

/// <summary>Which exceptions mean "the cluster could not answer now" rather than "the gateway has a bug".</summary>
internal static class ClusterFailures
{
    public static bool IsUnavailable(Exception exception) => exception is
        ClusterNotConnectedException
        or OrleansMessageRejectionException // includes SiloUnavailableException
        or GatewayTooBusyException
        or ConnectionFailedException
        or SocketConnectionException
        or OrleansLifecycleCanceledException
        or TimeoutException
        // A storage write lost a race (a second activation during a silo failover): the call can be repeated.
        or InconsistentStateException;
}

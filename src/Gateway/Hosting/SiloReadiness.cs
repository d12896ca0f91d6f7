namespace TaskQueue.Gateway.Hosting;

/// <summary>Marks the co-hosted silo callable once it is active, and not callable from the moment it stops.</summary>
internal sealed class SiloReadiness(ClusterConnectionState state) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SiloReadiness),
            ServiceLifecycleStage.Active,
            _ =>
            {
                state.SetConnected(true);
                return Task.CompletedTask;
            },
            _ =>
            {
                state.SetConnected(false);
                return Task.CompletedTask;
            });
}

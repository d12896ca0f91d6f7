namespace TaskQueue.Silo.Storage.MongoDb;

/// <summary>
/// Connects to MongoDB and creates the indexes as the silo starts, at Orleans' runtime storage stage.
/// </summary>
/// <remarks>
/// Why <see cref="ServiceLifecycleStage.RuntimeStorageServices"/>: it runs before the membership table is first used
/// and before the reminder service (both <see cref="ServiceLifecycleStage.RuntimeGrainServices"/>), before grain
/// storage (<see cref="ServiceLifecycleStage.ApplicationServices"/>) and long before the silo takes calls, so an
/// unreachable server stops start-up here with one clear error, and listings never run without their indexes.
/// Nothing is closed at stop: membership and grains still write while later stages stop, and the container disposes
/// the client after them.
/// </remarks>
internal sealed class MongoDbStorageLifecycle(MongoDbDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle observer) =>
        observer.Subscribe(
            nameof(MongoDbStorageLifecycle),
            ServiceLifecycleStage.RuntimeStorageServices,
            database.StartAsync,
            _ => Task.CompletedTask);
}

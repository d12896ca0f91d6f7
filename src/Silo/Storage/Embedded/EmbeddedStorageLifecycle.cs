namespace TaskQueue.Silo.Storage.Embedded;

/// <summary>
/// Opens the embedded database as the silo starts and closes it as the silo stops, at Orleans' runtime storage
/// stage.
/// </summary>
/// <remarks>
/// Why <see cref="ServiceLifecycleStage.RuntimeStorageServices"/>: it starts before the reminder service
/// (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>), before grain storage providers
/// (<see cref="ServiceLifecycleStage.ApplicationServices"/>) and long before the silo takes grain calls
/// (<see cref="ServiceLifecycleStage.Active"/>), so the schema exists before anything reads or writes. Stages stop
/// in reverse order, so the file closes only after grains were deactivated (their last writes committed) and the
/// reminder service stopped. A hosted service would depend on being registered before Orleans; a stage does not.
/// </remarks>
internal sealed class EmbeddedStorageLifecycle(EmbeddedDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle observer) =>
        observer.Subscribe(
            nameof(EmbeddedStorageLifecycle),
            ServiceLifecycleStage.RuntimeStorageServices,
            database.StartAsync,
            _ => database.StopAsync());
}

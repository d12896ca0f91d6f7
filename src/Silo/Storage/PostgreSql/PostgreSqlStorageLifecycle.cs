namespace TaskQueue.Silo.Storage.PostgreSql;

/// <summary>
/// Applies (or checks) the PostgreSQL schema as the silo starts, before anything reads or writes a table.
/// </summary>
/// <remarks>
/// Why <see cref="Stage"/>: it runs before the silo opens its ports (<c>RuntimeInitialize - 1</c>), before the
/// membership table is read to join the cluster, before the reminder service
/// (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>) and before grain storage
/// (<see cref="ServiceLifecycleStage.ApplicationServices"/>). A silo whose database is unreachable or whose schema is
/// newer than its code therefore stops before it has joined anything. Nothing is done at stop: the pool is disposed
/// with the container, after every stage has stopped.
/// </remarks>
internal sealed class PostgreSqlStorageLifecycle(PostgreSqlDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The lifecycle stage the schema is applied at.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 100;

    public void Participate(ISiloLifecycle observer) =>
        observer.Subscribe(nameof(PostgreSqlStorageLifecycle), Stage, database.StartAsync);
}

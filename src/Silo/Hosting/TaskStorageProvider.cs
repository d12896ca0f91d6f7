namespace TaskQueue.Silo.Hosting;

/// <summary>The task storage backends a silo can use; each also decides how silos find each other.</summary>
public enum TaskStorageProvider
{
    /// <summary>A SQLite file on this machine: one silo, localhost clustering, nothing to install.</summary>
    Embedded,

    /// <summary>PostgreSQL: tasks, reminders and the cluster's membership table, for clusters of silos.</summary>
    PostgreSql,

    /// <summary>MongoDB: tasks, reminders and the cluster's membership, for clusters of silos.</summary>
    MongoDb,
}

namespace TaskQueue.Silo.Hosting;

/// <summary>The task storage backends a silo can use.</summary>
public enum TaskStorageProvider
{
    /// <summary>A SQLite file on this machine: one silo, nothing to install.</summary>
    Embedded,
}

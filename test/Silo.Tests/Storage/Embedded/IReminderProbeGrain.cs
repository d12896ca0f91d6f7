namespace TaskQueue.Silo.Tests.Storage.Embedded;

/// <summary>A grain that registers and removes reminders, so a real silo drives the embedded reminder table.</summary>
public interface IReminderProbeGrain : IGrainWithGuidKey
{
    Task RegisterAsync(string name);

    Task UnregisterAsync(string name);
}

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

/// <summary>A grain that says which silo it runs on, so a test sees a client's call land in the cluster.</summary>
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    /// <summary>The address of the silo hosting this activation, in Orleans' parsable form.</summary>
    Task<string> WhereAsync();
}

namespace TaskQueue.Silo.Tests.Storage.PostgreSql;

public sealed class ClusterProbeGrain(ILocalSiloDetails silo) : Grain, IClusterProbeGrain
{
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}

namespace TaskQueue.Grains.Results;

/// <summary>What <see cref="IResultStore.PutAsync"/> stored.</summary>
public sealed record StoredResult(long SizeBytes, string Sha256);

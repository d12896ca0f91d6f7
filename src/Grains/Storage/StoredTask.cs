namespace TaskQueue.Grains.Storage;

/// <summary>A task record as read from a store, with the etag a later write must name.</summary>
public sealed record StoredTask(TaskRecord Record, string ETag);

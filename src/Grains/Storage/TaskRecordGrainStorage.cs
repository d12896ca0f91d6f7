using Orleans.Storage;

namespace TaskQueue.Grains.Storage;

/// <summary>
/// The Orleans grain storage behind task grains' persistent state: it hands <see cref="TaskRecord"/> states
/// to the configured <see cref="ITaskStore"/> and maps its etags and conflicts to what Orleans expects.
/// </summary>
public sealed class TaskRecordGrainStorage(ITaskStore store) : IGrainStorage
{
    /// <summary>The storage name task grains ask for.</summary>
    public const string Name = "tasks";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await store.ReadAsync(TaskIdOf(grainId), CancellationToken.None);
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = AsState<T>(stored.Record);
        grainState.ETag = stored.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = AsRecord(grainState.State);
        try
        {
            grainState.ETag = await store.WriteAsync(record, grainState.ETag, CancellationToken.None);
            grainState.RecordExists = true;
        }
        catch (TaskStoreConflictException conflict)
        {
            // Orleans deactivates the grain on this exception, so the next call reads the stored record.
            throw new InconsistentStateException(conflict.Message, grainState.ETag, "unknown", conflict);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is { } etag)
        {
            try
            {
                await store.DeleteAsync(TaskIdOf(grainId), etag, CancellationToken.None);
            }
            catch (TaskStoreConflictException conflict)
            {
                throw new InconsistentStateException(conflict.Message, etag, "unknown", conflict);
            }
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static Guid TaskIdOf(GrainId grainId) =>
        grainId.TryGetGuidKey(out var id, out _)
            ? id
            : throw new InvalidOperationException($"Grain {grainId} is not keyed by a task id.");

    private static TaskRecord AsRecord<T>(T state) =>
        state as TaskRecord
        ?? throw new InvalidOperationException(
            $"The '{Name}' storage holds task records only, not {typeof(T).Name}.");

    private static T AsState<T>(TaskRecord record) =>
        record is T state
            ? state
            : throw new InvalidOperationException(
                $"The '{Name}' storage holds task records only, not {typeof(T).Name}.");
}

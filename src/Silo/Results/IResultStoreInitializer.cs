namespace TaskQueue.Silo.Results;

/// <summary>A result store's work at start: make its folder or check its bucket; say clearly what is wrong.</summary>
internal interface IResultStoreInitializer
{
    Task InitializeAsync(CancellationToken cancellationToken);
}

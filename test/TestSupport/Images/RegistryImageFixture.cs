using TaskQueue.TestSupport.Registry;
using Xunit;

namespace TaskQueue.TestSupport.Images;

/// <summary>
/// One real registry with the test image pushed to it, shared by a test collection
/// (<c>ICollectionFixture&lt;RegistryImageFixture&gt;</c>). Started by the first test that asks
/// (<see cref="GetAsync"/>), so that a machine without the tools skips that test with a reason instead of
/// failing the whole collection; stopped when the collection ends.
/// </summary>
public sealed class RegistryImageFixture : IAsyncLifetime
{
    /// <summary>The repository the test image is pushed to.</summary>
    public const string Repository = "tests/busybox-dpkg";

    /// <summary>Its tag.</summary>
    public const string Tag = "1.0";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistryServer? _registry;
    private PublishedImage? _image;

    /// <summary>The registry and the pushed image, started on first use.</summary>
    public async Task<(RegistryServer Registry, PublishedImage Image)> GetAsync(CancellationToken cancellationToken)
    {
        // Each caller checks the tools itself, so every test on a machine without them is skipped, not only the first.
        ImageTools.Umoci();
        ImageTools.Skopeo();
        ImageTools.Busybox();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _registry ??= await RegistryServer.StartAsync(cancellationToken);
            _image ??= await TestImage.PublishAsync(_registry, Repository, Tag, cancellationToken);
            return (_registry, _image);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        _gate.Dispose();
    }
}

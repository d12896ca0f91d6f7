using TaskQueue.TestSupport.Images;
using TaskQueue.TestSupport.Registry;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>
/// A real registry that wants bearer tokens from a token service, with the test image pushed to it by an
/// authenticated user: what Docker Hub, GHCR and most private registries look like to a client.
/// </summary>
public sealed class TokenRegistryFixture : IAsyncLifetime
{
    public const string User = "scanner";
    public const string Password = "Token-Flow-Passw0rd";
    public const string Repository = "private/busybox-dpkg";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistryTokenService? _tokens;
    private RegistryServer? _registry;
    private PublishedImage? _image;

    public RegistryTokenService Tokens => _tokens ?? throw new InvalidOperationException("Not started.");

    public async Task<(RegistryServer Registry, PublishedImage Image)> GetAsync(CancellationToken cancellationToken)
    {
        ImageTools.Umoci();
        ImageTools.Skopeo();
        ImageTools.Busybox();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _tokens ??= RegistryTokenService.Start(new Dictionary<string, string> { [User] = Password });
            _registry ??= await RegistryServer.StartAsync(_tokens.Authentication, cancellationToken);
            if (_image is null)
            {
                var work = Directory.CreateTempSubdirectory("taskqueue-token-image-").FullName;
                try
                {
                    var layout = Path.Combine(work, "layout");
                    await TestImage.BuildLayoutAsync(layout, "1.0", cancellationToken);
                    _image = await TestImage.PushAsync(
                        layout, "1.0", _registry, Repository, $"{User}:{Password}", cancellationToken);
                }
                finally
                {
                    Directory.Delete(work, recursive: true);
                }
            }

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

        if (_tokens is not null)
        {
            await _tokens.DisposeAsync();
        }

        _gate.Dispose();
    }
}

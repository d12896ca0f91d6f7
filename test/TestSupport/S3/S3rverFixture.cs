using TaskQueue.TestSupport.Tools;
using Xunit;

namespace TaskQueue.TestSupport.S3;

/// <summary>
/// One s3rver for a test collection. When node or s3rver is missing the fixture starts nothing and every test
/// that asks for <see cref="Server"/> is skipped saying how to install it (under CI it fails instead).
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private S3rverServer? _server;

    /// <summary>The running server; skips the calling test when it could not be started for want of tools.</summary>
    public S3rverServer Server
    {
        get
        {
            RequiredTools.Require("node", "install Node.js 20 with npm (apt-get install nodejs npm)");
            RequiredTools.Require("s3rver.js", S3rverServer.InstallHint, S3rverServer.PackageFolder);
            return _server ?? throw new InvalidOperationException("s3rver was found but not started.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        var node = RequiredTools.Find("node");
        if (node is null || !File.Exists(S3rverServer.ScriptPath))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        _server = await S3rverServer.StartAsync(node, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

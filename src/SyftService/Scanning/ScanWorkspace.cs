using System.Text;
using System.Text.Json;
using TaskQueue.SyftService.Registry;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// One scan's own folder: temporary files, caches, a home, a Docker config and the SBOM, so that nothing of one
/// scan is seen by the next and nothing is left behind. Only the service's user may enter it.
/// </summary>
internal sealed class ScanWorkspace
{
    /// <summary>The prefix of every workspace folder, so that stale ones can be recognized.</summary>
    public const string FolderPrefix = "scan-";

    private const UnixFileMode OwnerOnly =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private ScanWorkspace(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string Home => Path.Combine(Root, "home");

    public string Temp => Path.Combine(Root, "tmp");

    public string Cache => Path.Combine(Root, "cache");

    public string Config => Path.Combine(Root, "config");

    public string DockerConfig => Path.Combine(Root, "docker");

    public string OutputFile => Path.Combine(Root, "out", "sbom.json");

    /// <summary>Creates a fresh workspace under <paramref name="workFolder"/>.</summary>
    public static ScanWorkspace Create(string workFolder)
    {
        CreateFolder(workFolder);
        var workspace = new ScanWorkspace(Path.Combine(workFolder, FolderPrefix + Guid.NewGuid().ToString("N")));
        CreateFolder(workspace.Root);
        foreach (var folder in new[] { workspace.Home, workspace.Temp, workspace.Cache, workspace.Config,
            workspace.DockerConfig, Path.GetDirectoryName(workspace.OutputFile)! })
        {
            CreateFolder(folder);
        }

        return workspace;
    }

    /// <summary>
    /// The environment every engine starts from: its home, temporary and cache folders inside this workspace,
    /// and the few variables of the service's own environment an engine needs (PATH, proxies, CA bundles).
    /// Anything else of the service's environment, secrets included, stays out.
    /// </summary>
    public Dictionary<string, string> BaseEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = Home,
            ["TMPDIR"] = Temp,
            ["XDG_CACHE_HOME"] = Cache,
            ["XDG_CONFIG_HOME"] = Config,
            ["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share"),
            ["DOCKER_CONFIG"] = DockerConfig,
            ["NO_COLOR"] = "1",
        };
        foreach (var name in EngineEnvironment.PassedThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>
    /// Writes a Docker client configuration with the one registry's credentials, readable only by the service's
    /// user, so that the engine authenticates without the secret on its command line.
    /// </summary>
    public void WriteDockerConfig(string registry, RegistryCredentialOptions credential)
    {
        // Docker clients look Docker Hub's credentials up under its legacy index address.
        var key = RegistryHosts.IsDockerHub(registry) ? "https://index.docker.io/v1/" : registry;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));
        var document = new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object> { [key] = new Dictionary<string, string> { ["auth"] = auth } },
        };
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(Path.Combine(DockerConfig, "config.json"), fileOptions);
        JsonSerializer.Serialize(stream, document);
    }

    /// <summary>Removes the workspace and everything in it; answers the failure instead of throwing.</summary>
    public Exception? TryDelete()
    {
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception;
        }
    }

    private static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
    }
}

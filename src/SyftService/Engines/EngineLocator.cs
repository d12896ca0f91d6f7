namespace TaskQueue.SyftService.Engines;

/// <summary>Finds the configured engine's executable: on PATH for a bare name, else as a path.</summary>
internal static class EngineLocator
{
    /// <summary>The engine to use and its full path, or null when the configured one is not installed.</summary>
    public static (ScanEngineKind Kind, string Path)? Locate(SyftServiceOptions options, string contentRoot)
    {
        var syft = options.Engine is ScanEngineKind.Auto or ScanEngineKind.Syft
            ? Find(options.SyftPath, contentRoot)
            : null;
        if (syft is not null)
        {
            return (ScanEngineKind.Syft, syft);
        }

        var trivy = options.Engine is ScanEngineKind.Auto or ScanEngineKind.Trivy
            ? Find(options.TrivyPath, contentRoot)
            : null;
        return trivy is null ? null : (ScanEngineKind.Trivy, trivy);
    }

    /// <summary>Why <see cref="Locate"/> found nothing, naming the settings to fix.</summary>
    public static string DescribeMissing(SyftServiceOptions options)
    {
        const string Env = "TaskQueue__SyftService__";
        var syft = $"Syft ('{options.SyftPath}', set by {Env}SyftPath)";
        var trivy = $"Trivy ('{options.TrivyPath}', set by {Env}TrivyPath)";
        var what = options.Engine switch
        {
            ScanEngineKind.Syft => syft,
            ScanEngineKind.Trivy => trivy,
            _ => $"neither {syft} nor {trivy}",
        };
        return $"Engine is {options.Engine} ({Env}Engine) but {what} is an executable file on this machine: "
            + "install it, or point the setting at it.";
    }

    /// <summary>The full path of an executable file, or null.</summary>
    public static string? Find(string configured, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(configured) || configured.Any(char.IsControl))
        {
            return null;
        }

        if (configured.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(configured, contentRoot);
            return IsExecutableFile(path) ? path : null;
        }

        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.Select(folder => Path.Combine(folder, configured)).FirstOrDefault(IsExecutableFile);
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute
            | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}

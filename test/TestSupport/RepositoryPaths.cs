namespace TaskQueue.TestSupport;

/// <summary>Where things are in this repository, found from the test's working folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds TaskQueue.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The folder the run command fetches tools into (Trivy, s3rver).</summary>
    public static string ToolsFolder => Path.Combine(Root, "tools");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TaskQueue.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskQueue.sln above {AppContext.BaseDirectory}.");
    }
}

using Xunit;

namespace TaskQueue.TestSupport.Tools;

/// <summary>
/// Finds the outside programs tests use (docker-registry, umoci, skopeo, trivy, node, postgres). Where one
/// is missing the test is skipped with a reason that says how to get it; under CI (TASKQUEUE_REQUIRE_TOOLS=1,
/// set by .ci/run) a missing tool fails the test instead, so nothing is skipped silently there.
/// </summary>
public static class RequiredTools
{
    /// <summary>The environment variable that turns a missing tool from a skip into a failure.</summary>
    public const string RequireVariable = "TASKQUEUE_REQUIRE_TOOLS";

    /// <summary>The full path of <paramref name="name"/>, looking in extra folders first, then PATH; or null.</summary>
    public static string? Find(string name, params string[] extraFolders)
    {
        var folders = extraFolders.Concat(
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        foreach (var folder in folders)
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The path of a tool, or a skip (a failure under CI) with <paramref name="howToGetIt"/>.</summary>
    public static string Require(string name, string howToGetIt, params string[] extraFolders)
    {
        var path = Find(name, extraFolders);
        if (path is not null)
        {
            return path;
        }

        var reason = $"'{name}' is not installed: {howToGetIt}";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return "";
    }
}

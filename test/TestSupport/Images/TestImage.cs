using TaskQueue.TestSupport.Processes;
using TaskQueue.TestSupport.Registry;

namespace TaskQueue.TestSupport.Images;

/// <summary>
/// A small real container image: a static busybox, Debian's <c>/etc/os-release</c> and <c>/etc/debian_version</c>
/// (without which Trivy does not detect the distribution) and a fixed dpkg status file of real Debian packages,
/// so that an SBOM of it has a known, exact package list (<see cref="Packages"/>). Built with umoci and pushed
/// with skopeo; no container engine needed.
/// </summary>
public static class TestImage
{
    private static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(60);
    private static readonly Lazy<IReadOnlyList<DebianPackage>> LazyPackages =
        new(() => DpkgStatus.Parse(File.ReadAllText(Path.Combine(AssetsFolder, "status"))));

    /// <summary>The files the image is made of, in the source tree.</summary>
    public static string AssetsFolder => Path.Combine(RepositoryPaths.Root, "test", "TestSupport", "Images", "Assets");

    /// <summary>The packages installed in the image: what an SBOM of it must list, no more, no less.</summary>
    public static IReadOnlyList<DebianPackage> Packages => LazyPackages.Value;

    /// <summary>The distribution the image declares (<c>/etc/debian_version</c>).</summary>
    public static string DebianVersion => File.ReadAllText(Path.Combine(AssetsFolder, "debian_version")).Trim();

    /// <summary>Builds the image into a fresh OCI layout and pushes it to <paramref name="registry"/>.</summary>
    public static async Task<PublishedImage> PublishAsync(
        RegistryServer registry,
        string repository,
        string tag,
        CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("taskqueue-image-").FullName;
        try
        {
            var layout = Path.Combine(work, "layout");
            await BuildLayoutAsync(layout, tag, cancellationToken);
            return await PushAsync(layout, tag, registry, repository, credentials: null, cancellationToken);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Builds the image as an OCI layout in <paramref name="layoutFolder"/> (which must not exist).</summary>
    public static async Task BuildLayoutAsync(string layoutFolder, string tag, CancellationToken cancellationToken)
    {
        var umoci = ImageTools.Umoci();
        var busybox = ImageTools.Busybox();
        var bundle = layoutFolder + ".bundle";
        var image = $"{layoutFolder}:{tag}";

        await RunAsync(umoci, ["init", "--layout", layoutFolder], cancellationToken);
        await RunAsync(umoci, ["new", "--image", image], cancellationToken);
        var unpack = new List<string> { "unpack" };
        if (!Environment.IsPrivilegedProcess)
        {
            unpack.Add("--rootless");
        }

        await RunAsync(umoci, [.. unpack, "--image", image, bundle], cancellationToken);
        FillRootFilesystem(Path.Combine(bundle, "rootfs"), busybox);
        await RunAsync(umoci, ["repack", "--image", image, bundle], cancellationToken);
        await RunAsync(
            umoci,
            ["config", "--image", image, "--config.cmd", "/bin/sh", "--config.env", "PATH=/bin",
                "--os", "linux", "--architecture", "amd64"],
            cancellationToken);
        await RunAsync(umoci, ["gc", "--layout", layoutFolder], cancellationToken);
        Directory.Delete(bundle, recursive: true);
    }

    /// <summary>
    /// Pushes the layout's <paramref name="tag"/> to <c>registry/repository:tag</c> over plain HTTP, with
    /// <paramref name="credentials"/> (<c>user:password</c>) when the registry wants them.
    /// </summary>
    public static async Task<PublishedImage> PushAsync(
        string layoutFolder,
        string tag,
        RegistryServer registry,
        string repository,
        string? credentials,
        CancellationToken cancellationToken)
    {
        var digestFile = layoutFolder + ".digest";

        // --insecure-policy: the machine's signature policy (/etc/containers/policy.json) may be missing; a
        // push of an image we just built has nothing to verify.
        var arguments = new List<string>
        {
            "--insecure-policy", "copy", "--dest-tls-verify=false", "--digestfile", digestFile,
        };
        if (credentials is not null)
        {
            arguments.AddRange(["--dest-creds", credentials]);
        }

        arguments.AddRange([$"oci:{layoutFolder}:{tag}", $"docker://{registry.Host}/{repository}:{tag}"]);
        await RunAsync(ImageTools.Skopeo(), arguments, cancellationToken);
        var digest = (await File.ReadAllTextAsync(digestFile, cancellationToken)).Trim();
        File.Delete(digestFile);
        return new PublishedImage(registry.Host, repository, tag, digest);
    }

    private static void FillRootFilesystem(string rootfs, string busybox)
    {
        var bin = Directory.CreateDirectory(Path.Combine(rootfs, "bin")).FullName;
        var etc = Directory.CreateDirectory(Path.Combine(rootfs, "etc")).FullName;
        var dpkg = Directory.CreateDirectory(Path.Combine(rootfs, "var", "lib", "dpkg")).FullName;
        File.Copy(busybox, Path.Combine(bin, "busybox"));
        File.CreateSymbolicLink(Path.Combine(bin, "sh"), "busybox");
        File.Copy(Path.Combine(AssetsFolder, "os-release"), Path.Combine(etc, "os-release"));
        File.Copy(Path.Combine(AssetsFolder, "debian_version"), Path.Combine(etc, "debian_version"));
        File.Copy(Path.Combine(AssetsFolder, "status"), Path.Combine(dpkg, "status"));
    }

    private static async Task RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var (exitCode, output) = await ExternalProcess.RunAsync(
            tool, list, StepDeadline, cancellationToken: cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', list)} exited with "
                + $"{exitCode}:{Environment.NewLine}{output}");
        }
    }
}

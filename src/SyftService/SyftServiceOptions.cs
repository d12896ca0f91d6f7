using Microsoft.Extensions.Options;
using TaskQueue.SyftService.Engines;

namespace TaskQueue.SyftService;

/// <summary>
/// How the SBOM service scans: which engine, how long a scan may take, how many run at once. Bound from
/// <c>TaskQueue:SyftService</c> (environment variables <c>TaskQueue__SyftService__*</c>).
/// </summary>
public sealed class SyftServiceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskQueue:SyftService";

    /// <summary>
    /// The engine: <see cref="ScanEngineKind.Auto"/> (default; Syft when installed, else Trivy),
    /// <see cref="ScanEngineKind.Syft"/> or <see cref="ScanEngineKind.Trivy"/>. The chosen engine must be
    /// installed or the service does not start.
    /// </summary>
    public ScanEngineKind Engine { get; set; } = ScanEngineKind.Auto;

    /// <summary>
    /// Syft's executable. Default <c>syft</c>, looked up on PATH; a value with a '/' is a path, relative ones
    /// taken from the content root (the folder the service starts in).
    /// </summary>
    public string SyftPath { get; set; } = "syft";

    /// <summary>
    /// Trivy's executable. Default <c>trivy</c>, looked up on PATH; a value with a '/' is a path, relative ones
    /// taken from the content root. The repository's run command fetches it into <c>tools/trivy/trivy</c>.
    /// </summary>
    public string TrivyPath { get; set; } = "trivy";

    /// <summary>
    /// How long the engine may run for one image before it is killed (with its children) and the request
    /// answers 504. Default 5 minutes. Keep it under the task type's attempt deadline in the queue and the
    /// Knative Service's timeout, so that this service, not its caller, is the one that gives up.
    /// </summary>
    public TimeSpan ScanDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The coreutils <c>timeout</c> program each engine runs under, with <see cref="ScanDeadline"/> as its limit,
    /// so that an engine left behind by a killed service (SIGKILL, the OOM killer) still ends by its deadline
    /// (terminated, then killed 5 seconds later). Default <c>timeout</c>, looked up on PATH; a value with a '/'
    /// is a path. Empty runs engines directly: an orphaned engine then runs until it ends by itself.
    /// </summary>
    public string TimeoutPath { get; set; } = "timeout";

    /// <summary>
    /// How many scans this instance runs at once. Default 1, as Knative's <c>containerConcurrency: 1</c>: a
    /// request beyond it waits at most <see cref="BusySlotWait"/>, then is answered 503 with <c>Retry-After</c>.
    /// </summary>
    public int MaxConcurrentScans { get; set; } = 1;

    /// <summary>
    /// How long a request waits for a scan slot before it is turned away as busy. Default 2 seconds: enough for the
    /// slot of a scan whose caller just went away (a cancelled task) to come free while its engine is stopped and
    /// its folder removed, so the caller's next task does not spend an attempt on a 503; short enough that the
    /// caller's queue, not an open request, holds real backlog. Zero answers at once.
    /// </summary>
    public TimeSpan BusySlotWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> sent with a 503 when every scan slot is taken. Default 5 seconds.</summary>
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest request body accepted; a larger one answers 413. Default 16384 (16 KiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Where each scan gets its own folder (temporary files, caches, home, the SBOM), removed after the scan.
    /// Default empty: <c>taskqueue-syft-service</c> under the system's temporary folder. Must be absolute.
    /// </summary>
    public string WorkFolder { get; set; } = "";

    /// <summary>The work folder with its default applied.</summary>
    internal string EffectiveWorkFolder =>
        WorkFolder.Length > 0 ? WorkFolder : Path.Combine(Path.GetTempPath(), "taskqueue-syft-service");
}

/// <summary>Checks <see cref="SyftServiceOptions"/> at start; each message names the setting to fix.</summary>
internal sealed class SyftServiceOptionsValidator(IHostEnvironment environment)
    : IValidateOptions<SyftServiceOptions>
{
    private const string Env = "TaskQueue__SyftService__";

    public ValidateOptionsResult Validate(string? name, SyftServiceOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Engine))
        {
            failures.Add($"Engine must be Auto, Syft or Trivy ({Env}Engine).");
        }
        else if (EngineLocator.Locate(options, environment.ContentRootPath) is null)
        {
            failures.Add(EngineLocator.DescribeMissing(options));
        }

        if (options.TimeoutPath.Length > 0
            && EngineLocator.Find(options.TimeoutPath, environment.ContentRootPath) is null)
        {
            failures.Add($"TimeoutPath ('{options.TimeoutPath}', {Env}TimeoutPath) is not an executable file on this "
                + "machine: install coreutils, point the setting at its timeout program, or set it empty to run "
                + "engines without a deadline of their own (a killed service then leaves its engine running).");
        }

        if (options.ScanDeadline < TimeSpan.FromSeconds(1) || options.ScanDeadline > TimeSpan.FromHours(24))
        {
            failures.Add($"ScanDeadline must be between 1 second and 24 hours ({Env}ScanDeadline, e.g. 00:05:00).");
        }

        if (options.MaxConcurrentScans is < 1 or > 64)
        {
            failures.Add($"MaxConcurrentScans must be between 1 and 64 ({Env}MaxConcurrentScans).");
        }

        if (options.BusySlotWait < TimeSpan.Zero || options.BusySlotWait > TimeSpan.FromSeconds(30))
        {
            failures.Add($"BusySlotWait must be between 0 and 30 seconds ({Env}BusySlotWait, e.g. 00:00:02).");
        }

        if (options.BusyRetryAfter < TimeSpan.FromSeconds(1) || options.BusyRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"BusyRetryAfter must be between 1 second and 1 hour ({Env}BusyRetryAfter).");
        }

        if (options.MaxRequestBodyBytes is < 256 or > 1024 * 1024)
        {
            failures.Add($"MaxRequestBodyBytes must be between 256 and 1048576 ({Env}MaxRequestBodyBytes).");
        }

        if (options.WorkFolder.Length > 0 && !Path.IsPathFullyQualified(options.WorkFolder))
        {
            failures.Add($"WorkFolder must be an absolute path or empty ({Env}WorkFolder).");
        }

        // Syft takes its output as "-o format=file": a path with '=' or ',' would be split in the wrong place.
        if (options.EffectiveWorkFolder.IndexOfAny(['=', ',']) >= 0)
        {
            failures.Add($"WorkFolder must not contain '=' or ',' ({Env}WorkFolder).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

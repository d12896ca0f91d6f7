using Microsoft.Extensions.Options;
using TaskQueue.SyftService.References;
using TaskQueue.SyftService.Registry;

namespace TaskQueue.SyftService;

/// <summary>
/// How the service reaches registries: credentials, a Docker Hub mirror, which registries may use plain HTTP,
/// and the answers it gives when a registry is slow or refuses. Bound from <c>TaskQueue:SyftService:Registry</c>
/// (environment variables <c>TaskQueue__SyftService__Registry__*</c>).
/// </summary>
public sealed class RegistryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskQueue:SyftService:Registry";

    /// <summary>
    /// How long the manifest check (with its token request) may take before the registry counts as unavailable
    /// (503). Default 30 seconds.
    /// </summary>
    public TimeSpan ManifestCheckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A registry (<c>host[:port]</c>) that serves Docker Hub's images. Default empty: Docker Hub itself. When set,
    /// every <c>docker.io</c> reference is rewritten to this host, path, tag and digest unchanged, for the
    /// manifest check and for the engine alike; the SBOM then names the mirror.
    /// </summary>
    public string DockerHubMirror { get; set; } = "";

    /// <summary>
    /// Registries (<c>host[:port]</c>, as references name them) reached over plain HTTP instead of HTTPS.
    /// Default empty. The only way to use plain HTTP in Production.
    /// </summary>
    public IList<string> InsecureRegistries { get; } = [];

    /// <summary>
    /// Whether loopback registries (<c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>) are reached over plain HTTP
    /// without being listed in <see cref="InsecureRegistries"/>. Default false; the Development settings turn it
    /// on. Fails validation in Production.
    /// </summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>
    /// When not empty, the only registries (<c>host[:port]</c>, as references name them, <c>docker.io</c> for
    /// Docker Hub) the service will contact; a reference to another answers 403. Default empty: any registry.
    /// </summary>
    public IList<string> AllowedRegistries { get; } = [];

    /// <summary>Credentials per registry. Default none: registries are asked anonymously.</summary>
    public IList<RegistryCredentialOptions> Credentials { get; } = [];

    /// <summary>
    /// The <c>Retry-After</c> sent with a 503 when a registry cannot be reached or answers 5xx without saying
    /// when to come back. Default 10 seconds.
    /// </summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The <c>Retry-After</c> sent with a 429 when a registry rate-limits us without saying for how long.
    /// Default 60 seconds.
    /// </summary>
    public TimeSpan RateLimitedRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Checks <see cref="RegistryOptions"/> at start; each message names the setting to fix.</summary>
internal sealed class RegistryOptionsValidator(IHostEnvironment environment) : IValidateOptions<RegistryOptions>
{
    private const string Env = "TaskQueue__SyftService__Registry__";

    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        var failures = new List<string>();
        var hour = TimeSpan.FromHours(1);
        CheckDuration(failures, options.ManifestCheckTimeout, nameof(options.ManifestCheckTimeout), hour / 12);
        CheckDuration(failures, options.UnavailableRetryAfter, nameof(options.UnavailableRetryAfter), hour);
        CheckDuration(failures, options.RateLimitedRetryAfter, nameof(options.RateLimitedRetryAfter), hour);

        if (options.DockerHubMirror.Length > 0)
        {
            CheckHost(failures, options.DockerHubMirror, $"DockerHubMirror ({Env}DockerHubMirror)");
            if (RegistryHosts.IsDockerHub(options.DockerHubMirror))
            {
                failures.Add($"DockerHubMirror ({Env}DockerHubMirror) names Docker Hub itself; leave it empty.");
            }
        }

        CheckList(failures, options.InsecureRegistries, "InsecureRegistries");
        CheckList(failures, options.AllowedRegistries, "AllowedRegistries");
        CheckCredentials(failures, options);

        if (environment.IsProduction())
        {
            CheckProductionSafety(failures, options);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckProductionSafety(List<string> failures, RegistryOptions options)
    {
        if (options.AllowInsecureLoopback)
        {
            failures.Add($"AllowInsecureLoopback ({Env}AllowInsecureLoopback) sends requests to loopback registries "
                + "over plain HTTP, which is not allowed in Production: set it to false and list each registry that "
                + $"must use HTTP in InsecureRegistries ({Env}InsecureRegistries__0=127.0.0.1:5000).");
        }

        for (var i = 0; i < options.Credentials.Count; i++)
        {
            var registry = options.Credentials[i].Registry;
            if (options.InsecureRegistries.Any(r => RegistryHosts.SameHost(r, registry)))
            {
                failures.Add($"Credentials:{i} ({Env}Credentials__{i}__Registry) is for '{registry}', which "
                    + "InsecureRegistries reaches over plain HTTP: the password would cross the network unencrypted, "
                    + "which is not allowed in Production.");
            }
        }
    }

    private static void CheckCredentials(List<string> failures, RegistryOptions options)
    {
        for (var i = 0; i < options.Credentials.Count; i++)
        {
            var credential = options.Credentials[i];
            var where = $"Credentials:{i} ({Env}Credentials__{i}__";
            if (credential.Registry.Length == 0)
            {
                failures.Add($"{where}Registry) needs the registry host it is for.");
            }
            else
            {
                CheckHost(failures, credential.Registry, $"{where}Registry)");
            }

            if (credential.Username.Length == 0 || credential.Password.Length == 0)
            {
                failures.Add($"{where}Username and {Env}Credentials__{i}__Password) needs both a user name "
                    + "and a password.");
            }

            for (var j = 0; j < i; j++)
            {
                if (RegistryHosts.SameHost(options.Credentials[j].Registry, credential.Registry))
                {
                    failures.Add($"{where}Registry) repeats the registry of Credentials:{j}.");
                }
            }
        }
    }

    private static void CheckList(List<string> failures, IList<string> hosts, string setting)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            CheckHost(failures, hosts[i], $"{setting}:{i} ({Env}{setting}__{i})");
        }
    }

    private static void CheckHost(List<string> failures, string host, string setting)
    {
        var error = ImageReferenceParser.CheckDomain(host);
        if (error is not null)
        {
            failures.Add($"{setting} is not a registry host[:port]: {error}");
        }
    }

    private static void CheckDuration(List<string> failures, TimeSpan value, string setting, TimeSpan max)
    {
        if (value < TimeSpan.FromSeconds(1) || value > max)
        {
            failures.Add($"{setting} must be between 1 second and {max} ({Env}{setting}).");
        }
    }
}

using Microsoft.Extensions.Options;

namespace TaskQueue.Gateway;

/// <summary>How the HTTP gateway reads requests and reaches the cluster. Section <c>TaskQueue:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "TaskQueue:Gateway";

    /// <summary>The most <see cref="MaxRequestBodyBytes"/> may be; a task request is a few hundred bytes.</summary>
    public const long MaxRequestBodyBytesLimit = 16 * 1024 * 1024;

    /// <summary>
    /// The request header that carries the authenticated user's id, set by the ingress after it authenticated
    /// the caller. Default <c>X-User-Id</c>.
    /// </summary>
    public string UserHeader { get; set; } = "X-User-Id";

    /// <summary>
    /// The users who may read every user's tasks (<c>GET /operator/tasks</c>): user ids exactly as the identity header
    /// carries them, case-sensitive. Default empty: nobody. Listed as <c>OperatorUsers:0</c>, <c>OperatorUsers:1</c>,
    /// ... (environment variables <c>TaskQueue__Gateway__OperatorUsers__0</c>, ...); validated by
    /// <c>OperatorUsersValidator</c>.
    /// </summary>
    public IList<string> OperatorUsers { get; } = [];

    /// <summary>The largest request body read, in bytes; larger ones are refused with 413. Default 64 KiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// True to run a silo inside the gateway process instead of connecting to a cluster as a client: one
    /// process for a single machine or a test. Default false.
    /// </summary>
    public bool HostSilo { get; set; }

    /// <summary>How long <c>/readyz</c> waits for the cluster before it reports not ready. Default 2 s.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The <c>Retry-After</c> sent with a 503 when the cluster cannot be reached. Default 5 s.
    /// </summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Refuses gateway settings that cannot work, naming the setting and its environment variable.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();

        if (!IsHeaderName(options.UserHeader))
        {
            failures.Add(Describe(
                nameof(GatewayOptions.UserHeader),
                $"must be an HTTP header name (letters, digits and '-'), not '{options.UserHeader}'"));
        }

        if (options.MaxRequestBodyBytes is < 1024 or > GatewayOptions.MaxRequestBodyBytesLimit)
        {
            failures.Add(Describe(
                nameof(GatewayOptions.MaxRequestBodyBytes),
                $"must be from 1024 to {GatewayOptions.MaxRequestBodyBytesLimit}, not {options.MaxRequestBodyBytes}"));
        }

        if (options.ReadinessTimeout <= TimeSpan.Zero || options.ReadinessTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add(Describe(
                nameof(GatewayOptions.ReadinessTimeout),
                $"must be more than zero and at most 00:01:00, not {options.ReadinessTimeout}"));
        }

        if (options.UnavailableRetryAfter < TimeSpan.FromSeconds(1)
            || options.UnavailableRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add(Describe(
                nameof(GatewayOptions.UnavailableRetryAfter),
                $"must be from 00:00:01 to 01:00:00, not {options.UnavailableRetryAfter}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHeaderName(string? header) =>
        !string.IsNullOrEmpty(header)
        && header.Length <= 64
        && header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string Describe(string key, string problem) =>
        $"{GatewayOptions.SectionName}:{key} {problem} " +
        $"(environment variable TaskQueue__Gateway__{key}).";
}

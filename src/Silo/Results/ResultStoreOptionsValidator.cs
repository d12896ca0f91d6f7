using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TaskQueue.Silo.Results;

/// <summary>
/// Checks <see cref="ResultStoreOptions"/> at start. Every message names the setting and the environment variable
/// that fixes it. Only the chosen provider's settings are checked.
/// </summary>
internal sealed partial class ResultStoreOptionsValidator(IHostEnvironment environment)
    : IValidateOptions<ResultStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ResultStoreOptions options)
    {
        var failures = new List<string>();
        switch (options.Provider)
        {
            case ResultStoreProvider.LocalFolder:
                ValidateLocalFolder(options.LocalFolder, failures);
                break;
            case ResultStoreProvider.S3:
                ValidateS3(options.S3, failures);
                break;
            default:
                failures.Add(
                    $"{Describe("Provider")} is '{options.Provider}'; it must be LocalFolder or S3.");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>"TaskQueue:Results:X:Y (environment variable TaskQueue__Results__X__Y)".</summary>
    internal static string Describe(string key)
    {
        var path = $"{ResultStoreOptions.SectionName}:{key}";
        return $"{path} (environment variable {path.Replace(":", "__", StringComparison.Ordinal)})";
    }

    private static void ValidateLocalFolder(LocalFolderResultStoreOptions options, List<string> failures)
    {
        var setting = Describe("LocalFolder:Path");
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"{setting} is empty: give the folder that holds the results, e.g. data/results.");
        }
        else if (options.Path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{setting} contains characters that cannot be part of a path.");
        }
    }

    private void ValidateS3(S3ResultStoreOptions options, List<string> failures)
    {
        ValidateEndpoint(options.Endpoint, failures);

        var bucket = Describe("S3:Bucket");
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            failures.Add($"{bucket} is required when Provider is S3: name the bucket that holds the results.");
        }
        else if (!BucketName().IsMatch(options.Bucket) || options.Bucket.Contains("..", StringComparison.Ordinal))
        {
            failures.Add(
                $"{bucket} '{options.Bucket}' is not a valid bucket name: 3-63 characters, lowercase letters, "
                + "digits, dots and hyphens, starting and ending with a letter or digit.");
        }

        if (string.IsNullOrEmpty(options.AccessKey))
        {
            failures.Add($"{Describe("S3:AccessKey")} is required when Provider is S3.");
        }

        if (string.IsNullOrEmpty(options.SecretKey))
        {
            failures.Add($"{Describe("S3:SecretKey")} is required when Provider is S3.");
        }

        if (string.IsNullOrWhiteSpace(options.Region) || !RegionName().IsMatch(options.Region))
        {
            failures.Add(
                $"{Describe("S3:Region")} '{options.Region}' is not a region name such as us-east-1 "
                + "(lowercase letters, digits and hyphens).");
        }

        if (!KeyPrefix().IsMatch(options.KeyPrefix ?? "")
            || (options.KeyPrefix ?? "").Split('/').Any(segment => segment is "." or ".."))
        {
            failures.Add(
                $"{Describe("S3:KeyPrefix")} '{options.KeyPrefix}' is not usable: up to 256 letters, digits and "
                + "'/ . _ -', not starting with '/', without empty, '.' or '..' segments (e.g. results/).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Describe("S3:RequestTimeout")} must be positive, e.g. 00:02:00.");
        }

        if (!options.UseTls && !options.AllowInsecureHttp && environment.IsProduction())
        {
            failures.Add(
                $"{Describe("S3:UseTls")} is false in the Production environment: the secret key's signatures and "
                + "every result would cross the network in plain HTTP. Turn TLS on, or, when the network to the "
                + $"store is private, say so with {Describe("S3:AllowInsecureHttp")} = true.");
        }
    }

    private static void ValidateEndpoint(string? endpoint, List<string> failures)
    {
        var setting = Describe("S3:Endpoint");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            failures.Add(
                $"{setting} is required when Provider is S3: give the server's host and port, e.g. minio:9000.");
            return;
        }

        if (endpoint.Contains("://", StringComparison.Ordinal))
        {
            failures.Add(
                $"{setting} '{endpoint}' has a scheme: give only the host and port (e.g. minio:9000); "
                + $"HTTPS or HTTP is chosen by {Describe("S3:UseTls")}.");
            return;
        }

        if (endpoint.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0
            || !Uri.TryCreate("http://" + endpoint, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host))
        {
            failures.Add($"{setting} '{endpoint}' is not a host with an optional port, such as minio:9000.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();

    [GeneratedRegex("^(?!/)(?!.*//)[A-Za-z0-9/._-]{0,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPrefix();
}

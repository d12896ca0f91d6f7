using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TaskQueue.Grains.TaskTypes;

/// <summary>Refuses a task type configuration that would fail later, naming the setting to fix.</summary>
public sealed partial class TaskTypesOptionsValidator : IValidateOptions<TaskTypesOptions>
{
    private const int MaxParameterLength = 65_536;

    public ValidateOptionsResult Validate(string? name, TaskTypesOptions options)
    {
        var failures = new List<string>();
        if (options.TaskTypes.Count == 0)
        {
            failures.Add(
                "No task type is configured: set TaskQueue:TaskTypes:<name>:Endpoint " +
                "(environment variable TaskQueue__TaskTypes__<name>__Endpoint).");
        }

        foreach (var (typeName, type) in options.TaskTypes)
        {
            ValidateType(typeName, type, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateType(string typeName, TaskTypeOptions type, List<string> failures)
    {
        var key = $"TaskQueue:TaskTypes:{typeName}";
        if (!TaskTypeNameRegex().IsMatch(typeName))
        {
            failures.Add(
                $"{key}: a task type's name is 1-64 characters of lowercase letters, digits, '-' and '_'.");
        }

        if (type.Endpoint is not { IsAbsoluteUri: true } endpoint
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add(Setting(key, "Endpoint", "must be an absolute http or https URL"));
        }

        Check(type.AttemptDeadline > TimeSpan.Zero && type.AttemptDeadline <= TimeSpan.FromDays(1),
            key, "AttemptDeadline", "must be more than zero and at most one day", failures);
        Check(type.MaxAttempts is >= 1 and <= 100, key, "MaxAttempts", "must be from 1 to 100", failures);
        Check(type.InitialBackoff > TimeSpan.Zero, key, "InitialBackoff", "must be more than zero", failures);
        Check(type.MaxBackoff >= type.InitialBackoff,
            key, "MaxBackoff", "must be at least InitialBackoff", failures);
        Check(type.MaxRetryAfter >= TimeSpan.Zero, key, "MaxRetryAfter", "must not be negative", failures);
        Check(type.MaxConcurrentAttempts is >= 1 and <= 100_000,
            key, "MaxConcurrentAttempts", "must be from 1 to 100000", failures);
        Check(type.MaxResultBytes > 0, key, "MaxResultBytes", "must be more than zero", failures);

        foreach (var (parameterName, parameter) in type.Parameters)
        {
            ValidateParameter($"{key}:Parameters:{parameterName}", parameterName, parameter, failures);
        }
    }

    private static void ValidateParameter(
        string key,
        string parameterName,
        TaskParameterOptions parameter,
        List<string> failures)
    {
        if (!ParameterNameRegex().IsMatch(parameterName))
        {
            failures.Add($"{key}: a parameter's name is 1-64 characters: a lowercase letter, then lowercase " +
                "letters, digits and '_'.");
        }

        Check(parameter.MaxLength is >= 1 and <= MaxParameterLength,
            key, "MaxLength", $"must be from 1 to {MaxParameterLength}", failures);
        if (parameter.Required && parameter.Default is not null)
        {
            failures.Add(Setting(key, "Default", "makes no sense for a required parameter; remove one of them"));
        }

        if (parameter.Pattern is { } pattern && !CompilesAsRegex(pattern))
        {
            failures.Add(Setting(key, "Pattern", "is not a valid regular expression"));
        }

        if (parameter.PatternDescription is not null && parameter.Pattern is null)
        {
            failures.Add(
                Setting(key, "PatternDescription", "describes a Pattern that is not set; set both or neither"));
        }

        if (parameter.Default is { } value && TaskParameterRules.Check(parameter, value) is { } problem)
        {
            failures.Add(Setting(key, "Default", $"breaks the parameter's own rules: {problem}"));
        }
    }

    private static bool CompilesAsRegex(string pattern)
    {
        try
        {
            _ = TaskParameterRules.CompilePattern(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Check(bool ok, string key, string setting, string rule, List<string> failures)
    {
        if (!ok)
        {
            failures.Add(Setting(key, setting, rule));
        }
    }

    private static string Setting(string key, string setting, string rule) =>
        $"{key}:{setting} {rule} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}__{setting}).";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex TaskTypeNameRegex();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex ParameterNameRegex();
}

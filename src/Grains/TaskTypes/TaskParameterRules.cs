using System.Text.RegularExpressions;

namespace TaskQueue.Grains.TaskTypes;

/// <summary>The checks one parameter value must pass; shared by submissions and the options validator.</summary>
public static class TaskParameterRules
{
    /// <summary>A configured pattern gets this long per value, so a bad pattern cannot stall a silo.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Null when <paramref name="value"/> is acceptable, otherwise why not.</summary>
    public static string? Check(TaskParameterOptions parameter, string value, Regex? compiledPattern = null)
    {
        if (value.Length > parameter.MaxLength)
        {
            return $"The value is longer than {parameter.MaxLength} characters.";
        }

        // Control characters are never part of a legitimate parameter in this version and are how log and
        // header injection start.
        if (value.Any(char.IsControl))
        {
            return "The value contains control characters.";
        }

        if (parameter.AllowedValues.Count > 0 && !parameter.AllowedValues.Contains(value, StringComparer.Ordinal))
        {
            return $"The value must be one of: {string.Join(", ", parameter.AllowedValues)}.";
        }

        if (parameter.Pattern is { } pattern && !Matches(compiledPattern ?? CompilePattern(pattern), value))
        {
            return WrongForm(parameter, value);
        }

        return null;
    }

    private static bool Matches(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string WrongForm(TaskParameterOptions parameter, string value)
    {
        var expected = parameter.PatternDescription is { Length: > 0 } description ? $"; expected {description}" : "";

        // Task services hand values to programs; one that starts with '-' is how an option gets smuggled in, and
        // saying so tells an honest caller at once what is wrong.
        return value.StartsWith('-')
            ? $"The value must not start with '-': it would read as a command-line option{expected}."
            : $"The value does not have the expected form{expected}.";
    }

    /// <summary>The pattern anchored at both ends: configuration names the whole value's form.</summary>
    public static Regex CompilePattern(string pattern) =>
        new($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, PatternTimeout);
}

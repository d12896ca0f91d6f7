using System.Text.RegularExpressions;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.TaskTypes;

/// <summary>A configured task type, ready to check parameters against (patterns compiled once).</summary>
public sealed class TaskTypeDefinition
{
    private readonly Dictionary<string, Regex?> _patterns;

    public TaskTypeDefinition(string name, TaskTypeOptions options)
    {
        Name = name;
        Options = options;
        _patterns = options.Parameters.ToDictionary(
            p => p.Key,
            p => p.Value.Pattern is { } pattern ? TaskParameterRules.CompilePattern(pattern) : null,
            StringComparer.Ordinal);
        Info = new TaskTypeInfo
        {
            Name = name,
            Description = options.Description,
            MaxAttempts = options.MaxAttempts,
            AttemptDeadline = options.AttemptDeadline,
            Parameters = options.Parameters
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new TaskParameterInfo
                {
                    Name = p.Key,
                    Description = p.Value.Description,
                    Required = p.Value.Required,
                    MaxLength = p.Value.MaxLength,
                    AllowedValues = p.Value.AllowedValues.ToArray(),
                    Default = p.Value.Default,
                    Pattern = p.Value.Pattern,
                })
                .ToArray(),
        };
    }

    public string Name { get; }

    public TaskTypeOptions Options { get; }

    /// <summary>What <c>GET /task-types</c> shows of this type.</summary>
    public TaskTypeInfo Info { get; }

    /// <summary>
    /// Checks submitted parameters: unknown names, missing required ones and each value's rules. Answers the
    /// parameters with defaults filled in; errors name <c>params</c> or <c>params.NAME</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> CheckParameters(
        IReadOnlyDictionary<string, string> submitted,
        List<FieldError> errors)
    {
        var accepted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in submitted.Keys.Where(name => !Options.Parameters.ContainsKey(name)))
        {
            errors.Add(new FieldError
            {
                Field = $"params.{Echo.Short(name)}",
                Message = $"Task type '{Name}' takes no parameter of this name; it takes: {Known()}.",
            });
        }

        foreach (var (name, parameter) in Options.Parameters)
        {
            if (!submitted.TryGetValue(name, out var value))
            {
                if (parameter.Required)
                {
                    errors.Add(new FieldError { Field = $"params.{name}", Message = "This parameter is required." });
                }
                else if (parameter.Default is { } fallback)
                {
                    accepted[name] = fallback;
                }

                continue;
            }

            if (TaskParameterRules.Check(parameter, value, _patterns[name]) is { } problem)
            {
                errors.Add(new FieldError { Field = $"params.{name}", Message = problem });
                continue;
            }

            accepted[name] = value;
        }

        return accepted;
    }

    private string Known() =>
        Options.Parameters.Count == 0 ? "none" : string.Join(", ", Options.Parameters.Keys.Order(StringComparer.Ordinal));
}

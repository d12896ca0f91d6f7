using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Contracts;

/// <summary>One parameter a task type takes; every value is a string.</summary>
public sealed record TaskParameterResponse
{
    /// <summary>The parameter's name in <c>params</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the parameter means.</summary>
    public required string? Description { get; init; }

    /// <summary>True when a request must name it.</summary>
    public required bool Required { get; init; }

    /// <summary>The longest value accepted, in characters.</summary>
    public required int MaxLength { get; init; }

    /// <summary>The only values accepted; empty when any value is.</summary>
    public required IReadOnlyList<string> AllowedValues { get; init; }

    /// <summary>The value used when the parameter is left out; null when there is none.</summary>
    public required string? Default { get; init; }

    /// <summary>A regular expression every value must match; null when there is none.</summary>
    public required string? Pattern { get; init; }

    internal static TaskParameterResponse From(TaskParameterInfo parameter) => new()
    {
        Name = parameter.Name,
        Description = parameter.Description,
        Required = parameter.Required,
        MaxLength = parameter.MaxLength,
        AllowedValues = parameter.AllowedValues,
        Default = parameter.Default,
        Pattern = parameter.Pattern,
    };
}

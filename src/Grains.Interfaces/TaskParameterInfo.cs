namespace TaskQueue.Grains.Interfaces;

/// <summary>One parameter a task type takes.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.TaskParameterInfo")]
public sealed record TaskParameterInfo
{
    /// <summary>The parameter's name in <c>params</c>.</summary>
    [Id(0)]
    public required string Name { get; init; }

    /// <summary>What the parameter means.</summary>
    [Id(1)]
    public string? Description { get; init; }

    /// <summary>True when a submission must name it.</summary>
    [Id(2)]
    public required bool Required { get; init; }

    /// <summary>The longest value accepted, in characters.</summary>
    [Id(3)]
    public required int MaxLength { get; init; }

    /// <summary>The only values accepted, when the parameter is a choice; empty otherwise.</summary>
    [Id(4)]
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>The value used when an optional parameter is left out.</summary>
    [Id(5)]
    public string? Default { get; init; }

    /// <summary>A regular expression every value must match, when the task type sets one.</summary>
    [Id(6)]
    public string? Pattern { get; init; }
}

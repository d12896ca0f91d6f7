namespace TaskQueue.Grains.TaskTypes;

/// <summary>One parameter of a task type, under <c>TaskQueue:TaskTypes:&lt;type&gt;:Parameters:&lt;name&gt;</c>.</summary>
public sealed class TaskParameterOptions
{
    /// <summary>What the parameter means, shown by <c>GET /task-types</c>. Default: none.</summary>
    public string? Description { get; set; }

    /// <summary>True when a submission must name it. Default: false.</summary>
    public bool Required { get; set; }

    /// <summary>The longest value accepted, in characters, 1 to 65,536. Default: 1,024.</summary>
    public int MaxLength { get; set; } = 1024;

    /// <summary>When not empty, the only values accepted. Default: any value.</summary>
    public List<string> AllowedValues { get; set; } = [];

    /// <summary>The value an optional parameter takes when a submission leaves it out. Default: none.</summary>
    public string? Default { get; set; }

    /// <summary>
    /// A regular expression the whole value must match (anchored for you), checked at submission so that a
    /// malformed value is refused before it is queued. Default: none.
    /// </summary>
    public string? Pattern { get; set; }

    /// <summary>
    /// What <see cref="Pattern"/> accepts, in words, for the message of a refused value: "The value does not have
    /// the expected form; expected {PatternDescription}." Write it to follow "expected", for example "an image
    /// reference such as ubuntu:24.04". Only meaningful with a <see cref="Pattern"/>. Default: none (the message
    /// then names no form).
    /// </summary>
    public string? PatternDescription { get; set; }
}

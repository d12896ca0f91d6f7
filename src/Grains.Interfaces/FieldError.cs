namespace TaskQueue.Grains.Interfaces;

/// <summary>One reason a submission was refused, naming the field at fault.</summary>
[GenerateSerializer]
[Immutable]
[Alias("TaskQueue.FieldError")]
public sealed record FieldError
{
    /// <summary>
    /// The field's path in the submission, snake_case as on the HTTP API: <c>user_id</c>, <c>task_type</c>,
    /// <c>params</c> or <c>params.NAME</c>.
    /// </summary>
    [Id(0)]
    public required string Field { get; init; }

    /// <summary>What is wrong, in words a user can act on.</summary>
    [Id(1)]
    public required string Message { get; init; }
}

namespace TaskQueue.Gateway.Tasks;

/// <summary>A task request with a checked shape, or what is wrong with it.</summary>
internal sealed class TaskRequestParseResult
{
    private TaskRequestParseResult(TaskRequestInput? request, FieldErrors? errors)
    {
        Request = request;
        Errors = errors;
    }

    /// <summary>The request, when its shape is right.</summary>
    public TaskRequestInput? Request { get; }

    /// <summary>What is wrong, by field path, when it is not.</summary>
    public FieldErrors? Errors { get; }

    public static TaskRequestParseResult Valid(TaskRequestInput request) => new(request, null);

    public static TaskRequestParseResult Invalid(FieldErrors errors) => new(null, errors);
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Grains.TaskTypes;

/// <summary>The task types this silo was configured with, and the checks a submission must pass.</summary>
public sealed class TaskTypeRegistry
{
    private readonly Dictionary<string, TaskTypeDefinition> _types;

    public TaskTypeRegistry(IOptions<TaskTypesOptions> options)
    {
        _types = options.Value.TaskTypes.ToDictionary(
            t => t.Key,
            t => new TaskTypeDefinition(t.Key, t.Value),
            StringComparer.Ordinal);
        All = _types.Values.Select(t => t.Info).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every task type, by name.</summary>
    public IReadOnlyList<TaskTypeInfo> All { get; }

    public bool TryGet(string name, [NotNullWhen(true)] out TaskTypeDefinition? type) =>
        _types.TryGetValue(name, out type);

    /// <summary>
    /// Checks a submission; answers its task type and parameters (defaults filled in) when it is valid,
    /// otherwise the errors, each naming its field.
    /// </summary>
    public (TaskTypeDefinition? Type, IReadOnlyDictionary<string, string> Parameters) Check(
        TaskSubmission submission,
        List<FieldError> errors)
    {
        if (UserIds.Validate(submission.UserId) is { } userProblem)
        {
            errors.Add(new FieldError { Field = "user_id", Message = userProblem });
        }

        if (string.IsNullOrEmpty(submission.TaskType))
        {
            errors.Add(new FieldError { Field = "task_type", Message = "A task type is required." });
            return (null, submission.Parameters);
        }

        if (!_types.TryGetValue(submission.TaskType, out var type))
        {
            errors.Add(new FieldError
            {
                Field = "task_type",
                Message = $"Unknown task type '{Echo.Short(submission.TaskType)}'; known task types: " +
                    $"{string.Join(", ", _types.Keys.Order(StringComparer.Ordinal))}.",
            });
            return (null, submission.Parameters);
        }

        var parameters = type.CheckParameters(submission.Parameters, errors);
        return errors.Count == 0 ? (type, parameters) : (null, parameters);
    }
}

using System.Globalization;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Gateway.Tasks;

/// <summary>
/// Reads <c>GET /tasks?status=&amp;limit=&amp;cursor=</c> strictly: each parameter at most once, nothing else,
/// so that a typo (<c>?stauts=failed</c>) is an error instead of a silently unfiltered listing.
/// </summary>
internal static class TaskListQueryParser
{
    public const string StatusParameter = "status";
    public const string LimitParameter = "limit";
    public const string CursorParameter = "cursor";

    private const int MaxEchoedNameLength = 64;
    private static readonly string[] Known = [StatusParameter, LimitParameter, CursorParameter];

    public static bool TryParse(IQueryCollection query, out TaskListQuery listQuery, out IResult? problem)
    {
        var errors = new FieldErrors();
        listQuery = new TaskListQuery();

        foreach (var (name, values) in query)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(Echo(name), "Unknown query parameter: use status, limit or cursor.");
            }
            else if (values.Count > 1)
            {
                errors.Add(name, $"Give {name} once, not {values.Count} times.");
            }
        }

        var status = ParseStatus(query, errors);
        var limit = ParseLimit(query, errors);
        var cursor = ParseCursor(query, errors);

        if (!errors.IsEmpty)
        {
            problem = Problems.Validation(errors.Summary(), errors.ToDictionary());
            return false;
        }

        listQuery = new TaskListQuery { Status = status, Limit = limit, After = cursor };
        problem = null;
        return true;
    }

    private static TaskState? ParseStatus(IQueryCollection query, FieldErrors errors)
    {
        if (!query.TryGetValue(StatusParameter, out var values) || values.Count != 1)
        {
            return null;
        }

        if (TaskStateNames.TryParse(values[0], out var state))
        {
            return state;
        }

        var names = string.Join(", ", Enum.GetValues<TaskState>().Select(TaskStateNames.ToName));
        errors.Add(StatusParameter, $"Must be one of {names}.");
        return null;
    }

    private static int ParseLimit(IQueryCollection query, FieldErrors errors)
    {
        if (!query.TryGetValue(LimitParameter, out var values) || values.Count != 1)
        {
            return TaskListQuery.DefaultLimit;
        }

        var text = values[0] ?? "";
        if (text.Length is > 0 and <= 3
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            && limit is >= 1 and <= TaskListQuery.MaxLimit)
        {
            return limit;
        }

        errors.Add(LimitParameter, $"Must be a whole number from 1 to {TaskListQuery.MaxLimit}.");
        return TaskListQuery.DefaultLimit;
    }

    private static TaskCursor? ParseCursor(IQueryCollection query, FieldErrors errors)
    {
        if (!query.TryGetValue(CursorParameter, out var values) || values.Count != 1)
        {
            return null;
        }

        if (TaskCursor.TryParse(values[0], out var cursor))
        {
            return cursor;
        }

        errors.Add(CursorParameter, "Is not a cursor: pass the next_cursor of the previous page unchanged.");
        return null;
    }

    private static string Echo(string name) =>
        name.Length <= MaxEchoedNameLength ? name : string.Concat(name.AsSpan(0, MaxEchoedNameLength), "…");
}

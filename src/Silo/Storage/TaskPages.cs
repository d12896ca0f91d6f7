using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Silo.Storage;

/// <summary>
/// Turns the rows of a listing into a page. Every backend reads one row more than the limit: that row is never
/// shown, it only says that another page exists, so the last page carries no cursor and a caller never asks for
/// an empty page.
/// </summary>
internal static class TaskPages
{
    public static TaskPage FromRowsWithLookahead(List<TaskSummary> rows, int limit)
    {
        if (rows.Count <= limit)
        {
            return new TaskPage { Items = rows };
        }

        rows.RemoveRange(limit, rows.Count - limit);
        var last = rows[^1];
        return new TaskPage
        {
            Items = rows,
            NextCursor = new TaskCursor { CreatedAt = last.CreatedAt, TaskId = last.Id },
        };
    }
}

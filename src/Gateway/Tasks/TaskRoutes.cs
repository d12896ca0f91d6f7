namespace TaskQueue.Gateway.Tasks;

/// <summary>The addresses of a task's resources, as handed to clients.</summary>
internal static class TaskRoutes
{
    public static string Task(string pathBase, Guid taskId) => $"{pathBase}/tasks/{taskId:D}";

    public static string Result(string pathBase, Guid taskId) => $"{Task(pathBase, taskId)}/result";

    /// <summary>
    /// A task id from the URL, in its one canonical form; anything else is answered like a task that does not
    /// exist, so that ids are never a way to learn anything.
    /// </summary>
    public static bool TryParseId(string? text, out Guid taskId) => Guid.TryParseExact(text, "D", out taskId);
}

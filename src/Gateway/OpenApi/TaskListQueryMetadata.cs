namespace TaskQueue.Gateway.OpenApi;

/// <summary>
/// Marks the endpoint whose query (<c>status</c>, <c>limit</c>, <c>cursor</c>) is read by hand as strings, so
/// that the API description gives the types and ranges the parser enforces.
/// </summary>
internal sealed class TaskListQueryMetadata;

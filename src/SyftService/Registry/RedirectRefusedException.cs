namespace TaskQueue.SyftService.Registry;

/// <summary>A registry sent the manifest request somewhere this service may not go; the message says where.</summary>
internal sealed class RedirectRefusedException(string message) : Exception(message);

namespace TaskQueue.Gateway.OpenApi;

/// <summary>Marks an endpoint that needs the caller's identity header, so the API description says so.</summary>
internal sealed class CallerIdentityMetadata;

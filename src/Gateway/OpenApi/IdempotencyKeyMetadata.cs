namespace TaskQueue.Gateway.OpenApi;

/// <summary>Marks an endpoint that honours the <c>Idempotency-Key</c> header, so the API description says so.</summary>
internal sealed class IdempotencyKeyMetadata;

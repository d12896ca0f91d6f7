namespace TaskQueue.SyftService.Api;

/// <summary>Why a request body was refused: the status, one sentence, and the field at fault if any.</summary>
internal sealed record RequestProblem(int Status, string Detail, string? Field = null);

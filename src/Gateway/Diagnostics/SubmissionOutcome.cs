namespace TaskQueue.Gateway.Diagnostics;

/// <summary>What became of one <c>POST /tasks</c>, as counted.</summary>
internal enum SubmissionOutcome
{
    Accepted,
    AlreadyAccepted,
    Conflict,
    Invalid,
    Rejected,
    Unavailable,
    Failed,
}

internal static class SubmissionOutcomeExtensions
{
    public static string ToTagValue(this SubmissionOutcome outcome) => outcome switch
    {
        SubmissionOutcome.Accepted => "accepted",
        SubmissionOutcome.AlreadyAccepted => "already_accepted",
        SubmissionOutcome.Conflict => "conflict",
        SubmissionOutcome.Invalid => "invalid",
        SubmissionOutcome.Rejected => "rejected",
        SubmissionOutcome.Unavailable => "unavailable",
        SubmissionOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}

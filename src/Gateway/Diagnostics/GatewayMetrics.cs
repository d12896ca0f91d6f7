using System.Diagnostics.Metrics;

namespace TaskQueue.Gateway.Diagnostics;

/// <summary>The gateway's instruments, on the meter <c>TaskQueue.Gateway</c>.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "TaskQueue.Gateway";
    public const string SubmissionsInstrument = "taskqueue.gateway.submissions";

    private readonly Counter<long> _submissions;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _submissions = meter.CreateCounter<long>(
            SubmissionsInstrument,
            unit: "{submission}",
            description: "Task submissions by outcome: accepted, already_accepted, conflict, invalid (refused by "
                + "the task type's rules), rejected (malformed request), unavailable, failed.");
    }

    public void Submission(SubmissionOutcome outcome) =>
        _submissions.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToTagValue()));
}

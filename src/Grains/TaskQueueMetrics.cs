using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Grains;

/// <summary>The silo's task instruments, on one Meter named <see cref="MeterName"/>.</summary>
public sealed class TaskQueueMetrics
{
    public const string MeterName = "TaskQueue.Grains";

    private readonly Counter<long> _submitted;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;

    public TaskQueueMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _submitted = meter.CreateCounter<long>("taskqueue.tasks.submitted", "{task}", "Tasks accepted and stored.");
        _finished = meter.CreateCounter<long>("taskqueue.tasks.finished", "{task}", "Tasks that reached a final state.");
        _attempts = meter.CreateCounter<long>("taskqueue.attempts", "{attempt}", "Attempts that ended, by outcome.");
        _attemptDuration = meter.CreateHistogram<double>(
            "taskqueue.attempt.duration", "s", "How long attempts took, from request to stored result.");
    }

    public void Submitted(string taskType) =>
        _submitted.Add(1, new KeyValuePair<string, object?>("task_type", taskType));

    public void Finished(string taskType, TaskState status) =>
        _finished.Add(
            1,
            new KeyValuePair<string, object?>("task_type", taskType),
            new KeyValuePair<string, object?>("status", TaskStateNames.ToName(status)));

    public void AttemptEnded(string taskType, AttemptOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList { { "task_type", taskType }, { "outcome", outcome.ToString() } };
        _attempts.Add(1, tags);
        _attemptDuration.Record(duration.TotalSeconds, tags);
    }
}

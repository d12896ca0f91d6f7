using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskQueue.SyftService.Engines;
using TaskQueue.SyftService.Scanning;

namespace TaskQueue.SyftService.Diagnostics;

/// <summary>The service's meter: how many scans ended how, and how long they took.</summary>
internal sealed class SyftServiceMetrics
{
    /// <summary>The meter's name, to subscribe to (OpenTelemetry, dotnet-counters).</summary>
    public const string MeterName = "TaskQueue.SyftService";

    private readonly Counter<long> _scans;
    private readonly Histogram<double> _duration;

    public SyftServiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _scans = meter.CreateCounter<long>(
            "taskqueue.syft_service.scans",
            unit: "{scan}",
            description: "Scan requests, by outcome, engine and format.");
        _duration = meter.CreateHistogram<double>(
            "taskqueue.syft_service.scan.duration",
            unit: "s",
            description: "Time from a valid scan request to its answer (manifest check and engine).");
    }

    public void Record(ScanOutcome outcome, string engine, SbomFormat format, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "outcome", OutcomeName(outcome) },
            { "engine", engine },
            { "format", format.Name() },
        };
        _scans.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Snake-case outcome names, fixed here so that renaming an enum member never renames a series.</summary>
    public static string OutcomeName(ScanOutcome outcome) => outcome switch
    {
        ScanOutcome.Succeeded => "succeeded",
        ScanOutcome.InvalidRequest => "invalid_request",
        ScanOutcome.RegistryNotAllowed => "registry_not_allowed",
        ScanOutcome.NotFound => "not_found",
        ScanOutcome.RegistryHostNotFound => "registry_host_not_found",
        ScanOutcome.RateLimited => "rate_limited",
        ScanOutcome.RegistryUnavailable => "registry_unavailable",
        ScanOutcome.RegistryBadGateway => "registry_bad_gateway",
        ScanOutcome.Busy => "busy",
        ScanOutcome.TimedOut => "timed_out",
        ScanOutcome.EngineFailed => "engine_failed",
        ScanOutcome.Aborted => "aborted",
        _ => "unknown",
    };
}

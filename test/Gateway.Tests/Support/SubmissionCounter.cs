using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Gateway.Diagnostics;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>
/// Listens to one gateway's submission counter (only the meter its own service provider created), so a test
/// can see what the gateway decided about a submission: refused it itself, or passed it to the grain.
/// </summary>
public sealed class SubmissionCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byOutcome = new(StringComparer.Ordinal);

    public SubmissionCounter(IServiceProvider gatewayServices)
    {
        var meterFactory = gatewayServices.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName
                && ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Name == GatewayMetrics.SubmissionsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome" && tag.Value is string outcome)
                {
                    _byOutcome.AddOrUpdate(outcome, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    public long Count(string outcome) => _byOutcome.GetValueOrDefault(outcome);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byOutcome);

    public void Dispose() => _listener.Dispose();
}

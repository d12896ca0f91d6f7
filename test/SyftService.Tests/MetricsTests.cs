using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.SyftService.Tests.Support;
using TaskQueue.TestSupport.Network;

namespace TaskQueue.SyftService.Tests;

/// <summary>The <c>TaskQueue.SyftService</c> meter counts scans by outcome and times them.</summary>
public sealed class MetricsTests
{
    private const string S = ServiceUnderTest.Section;

    [Fact]
    public async Task Scan_SucceededAndUnavailable_AreCountedAndTimedWithTheirOutcome()
    {
        using var deadline = Deadline.Seconds(30);
        await using var registry = await StubRegistry.StartAsync(
            context =>
            {
                context.Response.StatusCode = 200;
                return Task.CompletedTask;
            },
            deadline.Token);
        using var syft = StandInEngine.Create("syft", StandInBehaviour.WriteSbom);
        await using var service = ServiceUnderTest.Start(new Dictionary<string, string?>
        {
            [S + "Engine"] = "Syft",
            [S + "SyftPath"] = syft.ExecutablePath,
        });
        var measurements = new ConcurrentQueue<string>();
        using var listener = Listen(service.Services.GetRequiredService<IMeterFactory>(), measurements);

        using var succeeded = await service.ScanAsync($"{registry.Host}/team/app:1", deadline.Token);
        var down = $"127.0.0.1:{FreePort.Next()}/team/app:1";
        using var unavailable = await service.ScanAsync(down, "spdx-json", deadline.Token);

        Assert.Equal(
            [
                "taskqueue.syft_service.scan.duration engine=syft format=cyclonedx-json outcome=succeeded",
                "taskqueue.syft_service.scan.duration engine=syft format=spdx-json outcome=registry_unavailable",
                "taskqueue.syft_service.scans=1 engine=syft format=cyclonedx-json outcome=succeeded",
                "taskqueue.syft_service.scans=1 engine=syft format=spdx-json outcome=registry_unavailable",
            ],
            measurements.Order(StringComparer.Ordinal));
    }

    private static MeterListener Listen(IMeterFactory meterFactory, ConcurrentQueue<string> measurements)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this service's meter: other tests' services run in parallel in the same process.
                if (instrument.Meter.Name == "TaskQueue.SyftService" && instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue($"{instrument.Name}={value} {Tags(tags)}"));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            Assert.InRange(value, 0, 30);
            measurements.Enqueue($"{instrument.Name} {Tags(tags)}");
        });
        listener.Start();
        return listener;
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<string>();
        foreach (var tag in tags)
        {
            pairs.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(' ', pairs.Order(StringComparer.Ordinal));
    }
}

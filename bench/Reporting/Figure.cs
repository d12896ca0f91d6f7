namespace TaskQueue.Bench.Reporting;

/// <summary>One measured value, with what it was measured on and how loaded the machine was at the time.</summary>
/// <param name="Benchmark">Which benchmark: <c>store-writes</c>, <c>listing</c>, <c>throughput</c>.</param>
/// <param name="Setup">What it ran on, as <c>key=value</c> pairs (backend, silos, writers...).</param>
/// <param name="Name">What was measured, e.g. <c>writes_per_s</c> or <c>submit_p99_ms</c>.</param>
/// <param name="Value">The figure.</param>
/// <param name="LoadAverage">The one-minute load average when it was taken.</param>
internal sealed record Figure(string Benchmark, string Setup, string Name, double Value, double LoadAverage);

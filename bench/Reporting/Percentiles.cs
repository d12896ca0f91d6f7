namespace TaskQueue.Bench.Reporting;

/// <summary>Percentiles of a set of durations, by the nearest-rank method.</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="percentile"/>th percentile (0-100) of <paramref name="milliseconds"/>.</summary>
    public static double Of(IReadOnlyCollection<double> milliseconds, double percentile)
    {
        if (milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = milliseconds.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

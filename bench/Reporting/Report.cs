using System.Globalization;
using System.Text;

namespace TaskQueue.Bench.Reporting;

/// <summary>
/// Prints each figure on a line of its own as it is measured (<c>FIGURE ...</c>, easy to grep and to parse in
/// run.sh), and a table of all of them at the end. It only reports: nothing here judges a figure.
/// </summary>
internal sealed class Report
{
    private readonly List<Figure> _figures = [];

    /// <summary>Records and prints one figure.</summary>
    public void Add(string benchmark, string setup, string name, double value)
    {
        var figure = new Figure(benchmark, setup, name, value, MachineLoad.OneMinute());
        _figures.Add(figure);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"FIGURE {figure.Benchmark} {figure.Setup} {figure.Name}={Format(figure.Value)} load1={figure.LoadAverage:F2}"));
    }

    /// <summary>A line of context that is not a figure (what is happening, how long a phase took).</summary>
    public static void Note(string text) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {DateTime.Now:HH:mm:ss} {text}"));

    /// <summary>Prints every figure recorded so far as a table.</summary>
    public void PrintSummary()
    {
        if (_figures.Count == 0)
        {
            return;
        }

        var rows = _figures
            .Select(f => new[] { f.Benchmark, f.Setup, f.Name, Format(f.Value), f.LoadAverage.ToString("F2", CultureInfo.InvariantCulture) })
            .Prepend(["benchmark", "setup", "figure", "value", "load1"])
            .ToList();
        var widths = Enumerable.Range(0, 5).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var table = new StringBuilder().AppendLine().AppendLine("Summary");
        foreach (var row in rows)
        {
            table.AppendLine(string.Join(" | ", row.Select((cell, column) => column == 3 ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]))));
        }

        Console.Write(table.ToString());
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 || value == Math.Floor(value)
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString("F2", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace TaskQueue.Bench;

/// <summary>The command line: a command, then <c>--name value</c> pairs. Unknown or malformed values stop the tool.</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private BenchArguments(string command) => Command = command;

    public string Command { get; }

    public static BenchArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("Name a command first: store-writes, listing or throughput.");
        }

        var parsed = new BenchArguments(args[0]);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' at '{args[i]}'.");
            }

            parsed._values[args[i][2..]] = args[i + 1];
        }

        return parsed;
    }

    public string Text(string name, string fallback)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value : fallback;
    }

    public int Number(string name, int fallback) => Numbers(name, [fallback]).Single();

    /// <summary>A comma-separated list of positive whole numbers, e.g. <c>--writers 1,8,64</c>.</summary>
    public IReadOnlyList<int> Numbers(string name, IReadOnlyList<int> fallback)
    {
        var text = Text(name, string.Join(',', fallback));
        var numbers = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                throw new ArgumentException($"--{name} takes positive whole numbers separated by commas, not '{text}'.");
            }

            numbers.Add(number);
        }

        return numbers.Count > 0 ? numbers : throw new ArgumentException($"--{name} is empty.");
    }

    /// <summary>The backends named by <c>--backend</c> (embedded, postgresql, or both separated by a comma).</summary>
    public IReadOnlyList<Systems.BackendKind> Backends(string fallback)
    {
        var text = Text("backend", fallback);
        return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(name =>
            name.ToUpperInvariant() switch
            {
                "EMBEDDED" => Systems.BackendKind.Embedded,
                "POSTGRESQL" => Systems.BackendKind.PostgreSql,
                _ => throw new ArgumentException($"--backend takes embedded or postgresql, not '{name}'."),
            })];
    }

    /// <summary>Fails on a name no benchmark read: a typo would otherwise run with defaults silently.</summary>
    public void ThrowOnUnknown()
    {
        var unknown = _values.Keys.Where(key => !_read.Contains(key)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s) for {Command}: {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }
}

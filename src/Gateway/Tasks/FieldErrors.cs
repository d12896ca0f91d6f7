namespace TaskQueue.Gateway.Tasks;

/// <summary>
/// Validation messages keyed by the field's path. Bounded, so a hostile body with thousands of bad fields gets
/// a short answer.
/// </summary>
internal sealed class FieldErrors
{
    public const int MaxFields = 20;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Fields at fault that were not reported because <see cref="MaxFields"/> were already.</summary>
    public int Omitted { get; private set; }

    public void Add(string field, string message)
    {
        if (_errors.TryGetValue(field, out var messages))
        {
            messages.Add(message);
            return;
        }

        if (_errors.Count >= MaxFields)
        {
            Omitted++;
            return;
        }

        _errors[field] = [message];
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One sentence for the problem's <c>detail</c>: the only message when there is one.</summary>
    public string Summary()
    {
        if (_errors.Count == 1 && Omitted == 0 && _errors.First().Value is [var only])
        {
            return $"{_errors.First().Key}: {only}";
        }

        var fields = _errors.Count + Omitted;
        var more = Omitted == 0 ? "" : $" (the first {_errors.Count} are listed)";
        return $"{fields} fields are invalid{more}; see errors.";
    }
}

namespace TaskQueue.Grains.TaskTypes;

/// <summary>Refused input echoed back in a message: shortened and without control characters.</summary>
internal static class Echo
{
    private const int MaxLength = 64;

    public static string Short(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(MaxLength).ToArray());
        return clean.Length < value.Length ? clean + "…" : clean;
    }
}

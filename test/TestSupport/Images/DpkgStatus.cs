namespace TaskQueue.TestSupport.Images;

/// <summary>Reads a dpkg status file (<c>/var/lib/dpkg/status</c>): stanzas of <c>Field: value</c> lines.</summary>
public static class DpkgStatus
{
    /// <summary>The installed packages the file lists (status <c>install ok installed</c>), in file order.</summary>
    public static IReadOnlyList<DebianPackage> Parse(string text)
    {
        var packages = new List<DebianPackage>();
        var stanzas = text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var stanza in stanzas)
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in stanza.Split('\n'))
            {
                // Continuation lines (long descriptions) start with a space and belong to the previous field.
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && !char.IsWhiteSpace(line[0]))
                {
                    fields[line[..colon]] = line[(colon + 1)..].Trim();
                }
            }

            if (fields.GetValueOrDefault("Status") != "install ok installed")
            {
                continue;
            }

            // "Source: glibc" or "Source: util-linux (2.38.1-5+deb12u3)": the name is the first word.
            var source = fields.GetValueOrDefault("Source")?.Split(' ')[0];
            packages.Add(new DebianPackage(fields["Package"], fields["Version"], fields["Architecture"], source));
        }

        return packages;
    }
}

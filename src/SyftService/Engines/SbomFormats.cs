namespace TaskQueue.SyftService.Engines;

/// <summary>Names and media types of <see cref="SbomFormat"/>.</summary>
internal static class SbomFormats
{
    /// <summary>The format when a request names none.</summary>
    public const SbomFormat Default = SbomFormat.CycloneDxJson;

    /// <summary>The values the request's <c>format</c> field takes, as one text for messages.</summary>
    public const string AllowedNames = "'cyclonedx-json', 'spdx-json'";

    public static bool TryParse(string name, out SbomFormat format)
    {
        switch (name)
        {
            case "cyclonedx-json":
                format = SbomFormat.CycloneDxJson;
                return true;
            case "spdx-json":
                format = SbomFormat.SpdxJson;
                return true;
            default:
                format = Default;
                return false;
        }
    }

    /// <summary>The request's name of the format, which is also Syft's output format name.</summary>
    public static string Name(this SbomFormat format) => format switch
    {
        SbomFormat.SpdxJson => "spdx-json",
        _ => "cyclonedx-json",
    };

    public static string MediaType(this SbomFormat format) => format switch
    {
        SbomFormat.SpdxJson => "application/spdx+json",
        _ => "application/vnd.cyclonedx+json",
    };
}

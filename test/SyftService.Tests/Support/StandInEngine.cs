using System.Globalization;
using System.Text;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>
/// A shell script that takes an SBOM engine's place: it records its arguments, environment and working folder,
/// then behaves as told (<see cref="StandInBehaviour"/>). Named <c>syft</c>, it stands for Anchore Syft, which
/// cannot be installed on these machines (not in Debian, npm or NuGet); named <c>trivy</c>, it stands for a Trivy
/// that hangs or crashes, which the real one cannot be made to do on demand.
/// </summary>
internal sealed class StandInEngine : IDisposable
{
    private StandInEngine(string folder, string name)
    {
        Folder = folder;
        ExecutablePath = Path.Combine(folder, "bin", name);
    }

    public string Folder { get; }

    public string ExecutablePath { get; }

    private string Records => Path.Combine(Folder, "records");

    public bool HasRun => File.Exists(Path.Combine(Records, "args"));

    public bool HasStarted => File.Exists(Path.Combine(Records, "started"));

    public static StandInEngine Create(string name, StandInBehaviour behaviour)
    {
        var engine = new StandInEngine(Directory.CreateTempSubdirectory("taskqueue-standin-").FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(engine.ExecutablePath)!);
        Directory.CreateDirectory(engine.Records);
        File.WriteAllText(engine.ExecutablePath, Script(engine.Records, behaviour));
        File.SetUnixFileMode(
            engine.ExecutablePath,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return engine;
    }

    /// <summary>The arguments it was called with, exactly (recorded NUL-separated).</summary>
    public IReadOnlyList<string> Arguments()
    {
        var text = File.ReadAllText(Path.Combine(Records, "args"));
        return text.Length == 0 ? [] : text.TrimEnd('\0').Split('\0');
    }

    /// <summary>The whole environment it saw.</summary>
    public IReadOnlyDictionary<string, string> Environment() =>
        File.ReadAllText(Path.Combine(Records, "env")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "", StringComparer.Ordinal);

    public string WorkingDirectory() => File.ReadAllText(Path.Combine(Records, "cwd")).Trim();

    /// <summary>The Docker client configuration it found in DOCKER_CONFIG and its octal mode, if any.</summary>
    public (string Json, string Mode)? DockerConfig()
    {
        var json = Path.Combine(Records, "docker-config.json");
        return File.Exists(json)
            ? (File.ReadAllText(json), File.ReadAllText(Path.Combine(Records, "docker-config.mode")).Trim())
            : null;
    }

    /// <summary>The process id of the script, and of the child it started when told to hang.</summary>
    public (int Script, int? Child) ProcessIds()
    {
        var child = Path.Combine(Records, "child");
        var script = int.Parse(File.ReadAllText(Path.Combine(Records, "pid")), CultureInfo.InvariantCulture);
        return (script, File.Exists(child) ? int.Parse(File.ReadAllText(child), CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Lets a <see cref="StandInBehaviour.WaitForRelease"/> engine finish.</summary>
    public void Release() => File.WriteAllText(Path.Combine(Records, "release"), "");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string Script(string records, StandInBehaviour behaviour)
    {
        var mode = behaviour switch
        {
            StandInBehaviour.WaitForRelease => "wait",
            StandInBehaviour.Hang => "hang",
            StandInBehaviour.Crash => "crash",
            _ => "sbom",
        };
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append("# A stand-in for an SBOM engine, written by a test: it records how it was called.\n");
        script.Append($"rec='{records}'\n");
        script.Append("""
            printf '%s\0' "$@" > "$rec/args.tmp" && mv "$rec/args.tmp" "$rec/args"
            env -0 > "$rec/env"
            pwd > "$rec/cwd"
            if [ -f "$DOCKER_CONFIG/config.json" ]; then
              cp "$DOCKER_CONFIG/config.json" "$rec/docker-config.json"
              stat -c %a "$DOCKER_CONFIG/config.json" > "$rec/docker-config.mode"
            fi
            echo $$ > "$rec/pid"
            out=""; fmt=""; prev=""
            for a in "$@"; do
              case "$prev" in
                -o) fmt="${a%%=*}"; out="${a#*=}";;
                --output) out="$a";;
                --format) fmt="$a";;
              esac
              prev="$a"
            done
            touch "$rec/started"

            """);
        script.Append($"mode='{mode}'\n");
        script.Append("""
            case "$mode" in
              hang) sleep 300 & echo $! > "$rec/child.tmp" && mv "$rec/child.tmp" "$rec/child"; wait; exit 0;;
              crash) echo "panic: runtime error: invalid memory address; password=$SYFT_REGISTRY_AUTH_PASSWORD" >&2
                     kill -SEGV $$;;
              wait) while [ ! -e "$rec/release" ]; do sleep 0.05; done;;
            esac
            case "$fmt" in
              cyclonedx-json|cyclonedx)
                printf '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}\n' > "$out";;
              spdx-json) printf '{"spdxVersion":"SPDX-2.3","packages":[]}\n' > "$out";;
              *) echo "stand-in: unknown format '$fmt'" >&2; exit 2;;
            esac

            """);
        return script.ToString();
    }
}

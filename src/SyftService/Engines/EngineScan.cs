using TaskQueue.SyftService.Registry;
using TaskQueue.SyftService.Scanning;

namespace TaskQueue.SyftService.Engines;

/// <summary>Everything an engine needs to build its command for one scan.</summary>
/// <param name="Route">The image (mirror applied), its registry's scheme and credentials.</param>
/// <param name="Format">The SBOM format to write.</param>
/// <param name="Workspace">The scan's own folders; the SBOM goes to its output file.</param>
/// <param name="Deadline">How long the scan may run.</param>
internal sealed record EngineScan(RegistryRoute Route, SbomFormat Format, ScanWorkspace Workspace, TimeSpan Deadline);

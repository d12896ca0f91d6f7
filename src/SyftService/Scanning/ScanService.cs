using Microsoft.Extensions.Options;
using TaskQueue.SyftService.Diagnostics;
using TaskQueue.SyftService.Engines;
using TaskQueue.SyftService.Registry;

namespace TaskQueue.SyftService.Scanning;

/// <summary>
/// One scan from a valid request to an answer: registry allowed, a free slot, the manifest check, the engine in
/// its own workspace under a deadline, and the workspace gone afterwards whatever happened.
/// </summary>
internal sealed class ScanService(
    RegistryRouter router,
    RegistryClient registry,
    IScanEngine engine,
    EngineTimeout engineTimeout,
    ScanSlots slots,
    IOptionsMonitor<SyftServiceOptions> options,
    SyftServiceMetrics metrics,
    TimeProvider time,
    ILogger<ScanService> logger)
{
    public async Task<ScanResult> ScanAsync(ScanRequest request, CancellationToken aborted)
    {
        var started = time.GetTimestamp();
        ScanResult result;
        try
        {
            result = await ScanCoreAsync(request, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            logger.ScanAborted(request.Image.ToString());
            result = new ScanResult(ScanOutcome.Aborted, "The caller went away.");
        }

        metrics.Record(result.Outcome, engine.Name, request.Format, time.GetElapsedTime(started));
        return result;
    }

    private async Task<ScanResult> ScanCoreAsync(ScanRequest request, CancellationToken aborted)
    {
        var imageRef = request.Image.ToString();
        var route = router.Route(request.Image, out var refusal);
        if (route is null)
        {
            logger.RegistryNotAllowed(imageRef, refusal!);
            return new ScanResult(ScanOutcome.RegistryNotAllowed, refusal!);
        }

        using var slot = await slots.TryEnterAsync(options.CurrentValue.BusySlotWait, aborted);
        if (slot is null)
        {
            logger.ScanRejectedBusy(imageRef);
            var busyRetry = options.CurrentValue.BusyRetryAfter;
            return new ScanResult(
                ScanOutcome.Busy,
                "This SBOM service instance is busy with another scan; "
                    + $"try again in {busyRetry.TotalSeconds:0} seconds.",
                busyRetry);
        }

        var check = await registry.CheckManifestAsync(route, aborted);
        if (check.Outcome != ManifestCheckOutcome.Found)
        {
            return Refused(imageRef, check);
        }

        return await RunEngineAsync(request, route, imageRef, aborted);
    }

    private async Task<ScanResult> RunEngineAsync(
        ScanRequest request,
        RegistryRoute route,
        string imageRef,
        CancellationToken aborted)
    {
        var settings = options.CurrentValue;
        ScanWorkspace workspace;
        try
        {
            workspace = ScanWorkspace.Create(settings.EffectiveWorkFolder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.EngineFailed(imageRef, engine.Name, -1, exception.Message);
            return new ScanResult(
                ScanOutcome.EngineFailed,
                $"The scan of '{imageRef}' could not start: its work folder could not be created.");
        }

        try
        {
            logger.ScanStarted(imageRef, engine.Name, request.Format.Name());
            var started = time.GetTimestamp();
            var command = engine.BuildCommand(new EngineScan(route, request.Format, workspace, settings.ScanDeadline));
            var run = await EngineRunner.RunAsync(
                command,
                workspace.Root,
                settings.ScanDeadline,
                engineTimeout,
                aborted);
            switch (run.Status)
            {
                case EngineRunStatus.Aborted:
                    logger.ScanAborted(imageRef);
                    return new ScanResult(ScanOutcome.Aborted, "The caller went away.");
                case EngineRunStatus.TimedOut:
                    logger.ScanTimedOut(imageRef, engine.Name, settings.ScanDeadline);
                    return new ScanResult(
                        ScanOutcome.TimedOut,
                        $"The scan of '{imageRef}' did not finish within {Describe(settings.ScanDeadline)} "
                            + "and was stopped.");
            }

            if (run.Status == EngineRunStatus.Exited && run.ExitCode == 0 && OpenSbom(workspace) is { } sbom)
            {
                var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
                logger.ScanSucceeded(imageRef, engine.Name, elapsedMs, sbom.Length);
                return new ScanResult(ScanOutcome.Succeeded, "", Sbom: sbom, MediaType: request.Format.MediaType());
            }

            var reason = DescribeFailure(run, route);
            logger.EngineFailed(imageRef, engine.Name, run.ExitCode, reason);
            return new ScanResult(ScanOutcome.EngineFailed, $"The scan of '{imageRef}' failed: {reason}");
        }
        finally
        {
            // The SBOM, if any, is already open: on Linux an open file outlives its folder, so the workspace goes
            // now, before the answer is streamed, and nothing stays behind if the caller stops reading.
            if (workspace.TryDelete() is { } exception)
            {
                logger.WorkspaceNotRemoved(exception, workspace.Root);
            }
        }
    }

    private ScanResult Refused(string imageRef, ManifestCheckResult check)
    {
        switch (check.Outcome)
        {
            case ManifestCheckOutcome.NotFound:
                logger.ImageNotFound(imageRef, check.Message);
                return new ScanResult(ScanOutcome.NotFound, check.Message);
            case ManifestCheckOutcome.RateLimited:
                logger.RegistryRateLimited(imageRef, check.RetryAfter?.TotalSeconds ?? 0);
                return new ScanResult(ScanOutcome.RateLimited, check.Message, check.RetryAfter);
        }

        logger.RegistryProblem(imageRef, check.Message);
        var outcome = check.Outcome switch
        {
            ManifestCheckOutcome.InvalidReference => ScanOutcome.InvalidRequest,
            ManifestCheckOutcome.HostNotFound => ScanOutcome.RegistryHostNotFound,
            ManifestCheckOutcome.Unavailable => ScanOutcome.RegistryUnavailable,
            _ => ScanOutcome.RegistryBadGateway,
        };
        return new ScanResult(outcome, check.Message, check.RetryAfter);
    }

    /// <summary>The SBOM file open for reading, or null when the engine wrote nothing that looks like JSON.</summary>
    private static FileStream? OpenSbom(ScanWorkspace workspace)
    {
        if (!File.Exists(workspace.OutputFile))
        {
            return null;
        }

        var stream = new FileStream(workspace.OutputFile, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        int first;
        do
        {
            first = stream.ReadByte();
        }
        while (first is ' ' or '\t' or '\r' or '\n');

        if (first != '{')
        {
            stream.Dispose();
            return null;
        }

        stream.Position = 0;
        return stream;
    }

    private string DescribeFailure(EngineRunResult run, RegistryRoute route)
    {
        var secrets = route.Credential is { } credential ? new[] { credential.Password } : [];
        var stderr = FailureText.Sanitize(run.StandardErrorTail, secrets);
        var name = engine.Name == "syft" ? "Syft" : "Trivy";
        var how = run switch
        {
            { Status: EngineRunStatus.FailedToStart } => $"{name} could not be started",
            { ExitCode: > 128 and < 160 } => $"{name} was killed by signal {run.ExitCode - 128}",
            { ExitCode: 0 } => $"{name} exited without writing an SBOM",
            _ => $"{name} exited with code {run.ExitCode}",
        };
        return stderr.Length == 0 ? $"{how} and wrote nothing to stderr." : $"{how}: {stderr}";
    }

    private static string Describe(TimeSpan duration) =>
        duration.TotalSeconds < 120 ? $"{duration.TotalSeconds:0} seconds" : $"{duration.TotalMinutes:0.#} minutes";
}

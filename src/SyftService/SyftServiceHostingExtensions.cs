using Microsoft.Extensions.Options;
using TaskQueue.SyftService.Api;
using TaskQueue.SyftService.Diagnostics;
using TaskQueue.SyftService.Engines;
using TaskQueue.SyftService.Registry;
using TaskQueue.SyftService.Scanning;

namespace TaskQueue.SyftService;

/// <summary>Registers and maps the SBOM service.</summary>
public static class SyftServiceHostingExtensions
{
    /// <summary>Adds the SBOM service: options (validated at start), registry client, engine, scan pipeline.</summary>
    public static IServiceCollection AddSyftService(this IServiceCollection services)
    {
        services.AddOptions<SyftServiceOptions>().BindConfiguration(SyftServiceOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyftServiceOptions>, SyftServiceOptionsValidator>();
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SyftServiceMetrics>();
        services.AddSingleton<RegistryRouter>();
        services.AddSingleton<RegistryClient>();
        services.AddSingleton<ScanSlots>();
        services.AddSingleton<ScanService>();
        services.AddSingleton(CreateEngine);
        services.AddSingleton(CreateEngineTimeout);
        services.AddHostedService<WorkspaceJanitor>();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemTraceId.Apply);
        services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine");
        return services;
    }

    /// <summary>Maps <c>POST /</c> (scan) and <c>GET /healthz</c> (probes).</summary>
    public static IEndpointRouteBuilder MapSyftService(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScanEndpoints();
        endpoints.MapHealthChecks("/healthz");
        return endpoints;
    }

    private static EngineTimeout CreateEngineTimeout(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SyftServiceOptions>>().Value;
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        if (options.TimeoutPath.Length == 0)
        {
            return new EngineTimeout(null);
        }

        // Options validation at start has already refused a timeout program that is not there.
        return new EngineTimeout(EngineLocator.Find(options.TimeoutPath, contentRoot)
            ?? throw new InvalidOperationException($"TimeoutPath '{options.TimeoutPath}' is not an executable file."));
    }

    private static IScanEngine CreateEngine(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SyftServiceOptions>>().Value;
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;

        // Options validation at start has already refused a configuration whose engine is missing.
        var (kind, path) = EngineLocator.Locate(options, contentRoot)
            ?? throw new InvalidOperationException(EngineLocator.DescribeMissing(options));
        return kind == ScanEngineKind.Syft ? new SyftEngine(path) : new TrivyEngine(path);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskQueue.SyftService.Engines;

/// <summary>Healthy while the engine's executable is still there: a probe sees a broken image or volume.</summary>
internal sealed class EngineHealthCheck(IScanEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var result = File.Exists(engine.ExecutablePath)
            ? HealthCheckResult.Healthy($"{engine.Name} at {engine.ExecutablePath}")
            : HealthCheckResult.Unhealthy($"{engine.Name} is no longer at {engine.ExecutablePath}");
        return Task.FromResult(result);
    }
}

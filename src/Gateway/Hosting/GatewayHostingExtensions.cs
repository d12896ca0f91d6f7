using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Diagnostics;
using TaskQueue.Gateway.Http;
using TaskQueue.Gateway.OpenApi;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Operators;

namespace TaskQueue.Gateway;

/// <summary>Sets up TaskQueue's HTTP gateway in a web application.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Registers the gateway: options (validated at start), JSON conventions, problem details, the API
    /// description, and the connection to the cluster (client, or co-hosted silo when
    /// <c>TaskQueue:Gateway:HostSilo</c> is true).
    /// </summary>
    public static IHostApplicationBuilder AddTaskQueueGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, OperatorUsersValidator>();

        services.ConfigureHttpJsonOptions(json => GatewayJson.Configure(json.SerializerOptions));
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemConventions.Apply);
        services.AddExceptionHandler<GatewayExceptionHandler>();
        services.AddSingleton<GatewayMetrics>();
        services.AddGatewayOpenApi();

        builder.AddTaskQueueCluster();
        return builder;
    }

    /// <summary>Adds the gateway's middleware and maps its endpoints.</summary>
    public static WebApplication MapTaskQueueGateway(this WebApplication app)
    {
        app.UseExceptionHandler();

        // Unknown routes and wrong methods get problem details like every other error.
        app.UseStatusCodePages();
        app.UseGatewayOpenApi();
        app.MapGatewayEndpoints();
        return app;
    }
}

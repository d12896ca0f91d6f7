using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace TaskQueue.Gateway.OpenApi;

/// <summary>The API description (<c>/docs/v1/openapi.json</c>) and Swagger UI (<c>/docs</c>).</summary>
internal static class GatewayOpenApi
{
    public const string DocumentName = "v1";
    public const string RoutePrefix = "docs";
    public const string DocumentPath = $"/{RoutePrefix}/{DocumentName}/openapi.json";

    private const string StockInitializerPath = $"/{RoutePrefix}/swagger-initializer.js";

    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "TaskQueue",
                Version = DocumentName,
                Description = "Submit tasks, follow them and fetch their results. Every call but the health probes "
                    + "needs the caller's identity header, which the ingress sets after authenticating the caller.",
            });
            swagger.SupportNonNullableReferenceTypes();
            swagger.OperationFilter<GatewayOperationFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                swagger.IncludeXmlComments(xml);
            }
        });

        // The scheme names the configured header, known only once options are bound.
        services.AddOptions<SwaggerGenOptions>().Configure<IOptions<GatewayOptions>>((swagger, gateway) =>
            swagger.AddSecurityDefinition(GatewayOperationFilter.UserSchemeId, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = gateway.Value.UserHeader,
                Description = $"The caller's user id. In a deployment the ingress sets {gateway.Value.UserHeader} "
                    + "after authenticating the caller; here you type it.",
            }));
        return services;
    }

    public static WebApplication UseGatewayOpenApi(this WebApplication app)
    {
        // Swagger UI serves every file of the swagger-ui distribution under /docs, with no setting to leave one
        // out; its stock swagger-initializer.js, unused by the page Swashbuckle writes, would load the Petstore
        // demo from petstore.swagger.io into any browser that opens it.
        app.Use((context, next) =>
        {
            if (context.Request.Path.Equals(StockInitializerPath, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseSwagger(swagger => swagger.RouteTemplate = $"{RoutePrefix}/{{documentName}}/openapi.json");
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = RoutePrefix;
            ui.DocumentTitle = "TaskQueue API";

            // Relative, so the UI keeps working behind an ingress that adds a path prefix.
            ui.SwaggerEndpoint($"{DocumentName}/openapi.json", "TaskQueue v1");
        });
        return app;
    }
}

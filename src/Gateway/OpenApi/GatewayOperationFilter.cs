using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TaskQueue.Gateway.Tasks;

namespace TaskQueue.Gateway.OpenApi;

/// <summary>
/// Puts what the endpoints read by hand into the API description: the identity header (as a security scheme, so
/// Swagger UI asks for it once and sends it with every call), the <c>Idempotency-Key</c> header and the body.
/// </summary>
internal sealed class GatewayOperationFilter : IOperationFilter
{
    public const string UserSchemeId = "user";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;

        if (metadata.OfType<CallerIdentityMetadata>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(UserSchemeId, context.Document)] = [],
            });
        }

        if (metadata.OfType<RequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType
                    {
                        Schema = context.SchemaGenerator.GenerateSchema(body.Type, context.SchemaRepository),
                    },
                },
            };
        }

        if (metadata.OfType<IdempotencyKeyMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeys.HeaderName,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes the submission safe to repeat: the same key from the same user always names the "
                    + "same task. 1-128 visible ASCII characters.",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MinLength = 1,
                    MaxLength = IdempotencyKeys.MaxLength,
                },
            });
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TaskQueue.Gateway.Tasks;
using TaskQueue.Grains.Interfaces;
using TaskQueue.Grains.Storage;

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
                        Example = JsonNode.Parse(body.ExampleJson),
                    },
                },
            };
        }

        if (metadata.OfType<TaskListQueryMetadata>().Any())
        {
            DescribeListQuery(operation);
        }

        if (metadata.OfType<ResultContentMetadata>().FirstOrDefault() is { } result)
        {
            DescribeResult(operation, result);
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

    private static void DescribeListQuery(OpenApiOperation operation)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            switch (parameter.Name)
            {
                case TaskListQueryParser.StatusParameter:
                    parameter.Description = "Only tasks in this state.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [.. Enum.GetValues<TaskState>().Select(s => (JsonNode)TaskStateNames.ToName(s))],
                    };
                    break;
                case TaskListQueryParser.LimitParameter:
                    parameter.Description = "How many tasks a page holds.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Format = "int32",
                        Minimum = "1",
                        Maximum = TaskListQuery.MaxLimit.ToString(CultureInfo.InvariantCulture),
                        Default = TaskListQuery.DefaultLimit,
                    };
                    break;
                case TaskListQueryParser.CursorParameter:
                    parameter.Description = "The next_cursor of the previous page; leave it out for the first.";
                    break;
            }
        }
    }

    private static void DescribeResult(OpenApiOperation operation, ResultContentMetadata result)
    {
        operation.Responses ??= [];
        operation.Responses[StatusCodes.Status200OK.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = "The result as the task type's service answered it: for syft, the SBOM in the format "
                + "asked for (CycloneDX or SPDX JSON). ETag is its SHA-256.",
            Content = result.MediaTypes.ToDictionary(
                mediaType => mediaType,
                IOpenApiMediaType (_) => new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                }),
        };
    }
}

using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Http;

namespace TaskQueue.Gateway.Operators;

/// <summary>
/// Lets through only the callers named in <see cref="GatewayOptions.OperatorUsers"/>; anyone else gets 403. Runs
/// after <see cref="CallerIdentity"/>, so the caller is known (a request without the identity header is 401 there).
/// </summary>
/// <remarks>
/// The gateway authenticates nobody: the ingress does, and sets the identity header. Who is an operator is
/// configuration, compared exactly (user ids are case-sensitive everywhere in TaskQueue).
/// </remarks>
internal sealed class OperatorAccess(IOptions<GatewayOptions> options, ILogger<OperatorAccess> logger) : IEndpointFilter
{
    private readonly HashSet<string> _operators = new(options.Value.OperatorUsers, StringComparer.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        var userId = CallerIdentity.UserIdOf(httpContext);
        if (!_operators.Contains(userId))
        {
            OperatorLog.AccessDenied(
                logger, userId, httpContext.Request.Method, GatewayExceptionHandler.RouteOf(httpContext));
            return Problems.Create(
                StatusCodes.Status403Forbidden,
                "You are not an operator.",
                $"Only the users named in {GatewayOptions.SectionName}:{nameof(GatewayOptions.OperatorUsers)} may "
                + "read every user's tasks; your own are at /tasks.");
        }

        return await next(context);
    }
}

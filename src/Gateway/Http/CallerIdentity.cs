using Microsoft.Extensions.Options;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Http;

/// <summary>
/// Reads the caller's user id from the header the ingress sets (<see cref="GatewayOptions.UserHeader"/>) and
/// refuses the request before anything else happens when it is missing or malformed.
/// </summary>
internal sealed class CallerIdentity(IOptions<GatewayOptions> options) : IEndpointFilter
{
    private static readonly object UserIdKey = new();

    /// <summary>The user id this request was accepted for; only on endpoints behind this filter.</summary>
    public static string UserIdOf(HttpContext context) =>
        context.Items[UserIdKey] as string
        ?? throw new InvalidOperationException("The endpoint is not behind the caller identity filter.");

    /// <summary>The user id when one was accepted, for logs of requests that failed.</summary>
    public static string? TryUserIdOf(HttpContext context) => context.Items[UserIdKey] as string;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = options.Value.UserHeader;
        var values = context.HttpContext.Request.Headers[header];

        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return Problems.Create(
                StatusCodes.Status401Unauthorized,
                "The caller is not identified.",
                $"The {header} header is missing or empty: requests reach the queue through the ingress, which "
                + "sets it to the authenticated user's id.");
        }

        if (values.Count > 1)
        {
            return Problems.Validation(header, $"The {header} header must be sent once, not {values.Count} times.");
        }

        var userId = values[0]!;
        var error = UserIds.Validate(userId);
        if (error is not null)
        {
            return Problems.Validation(header, $"The {header} header is not a valid user id. {error}");
        }

        context.HttpContext.Items[UserIdKey] = userId;
        return await next(context);
    }
}

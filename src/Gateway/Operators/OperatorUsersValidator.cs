using Microsoft.Extensions.Options;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Operators;

/// <summary>
/// Refuses an operator list that would not do what it says: an entry no identity header could carry, or one value
/// where a list is expected (which configuration binding would silently ignore, leaving nobody an operator).
/// </summary>
internal sealed class OperatorUsersValidator(IConfiguration configuration) : IValidateOptions<GatewayOptions>
{
    private const string Setting = $"{GatewayOptions.SectionName}:{nameof(GatewayOptions.OperatorUsers)}";
    private const string Variable = $"TaskQueue__Gateway__{nameof(GatewayOptions.OperatorUsers)}";

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();

        if (configuration.GetSection(Setting).Value is { Length: > 0 })
        {
            failures.Add(
                $"{Setting} is a list, not one value: name each operator as {Setting}:0, {Setting}:1, ... "
                + $"(environment variables {Variable}__0, {Variable}__1, ...).");
        }

        for (var i = 0; i < options.OperatorUsers.Count; i++)
        {
            var error = UserIds.Validate(options.OperatorUsers[i]);
            if (error is not null)
            {
                failures.Add(
                    $"{Setting}:{i} is not a user id the identity header could carry: {error} "
                    + $"(environment variable {Variable}__{i}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

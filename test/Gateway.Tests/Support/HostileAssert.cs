using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace TaskQueue.Gateway.Tests.Support;

/// <summary>Checks that a refusal names what the caller got wrong.</summary>
public static class HostileAssert
{
    public static void NamesFieldAtFault(HostileRequest hostile, JsonElement problem, string body)
    {
        if (hostile.ExpectedStatus == StatusCodes.Status400BadRequest)
        {
            var keys = ProblemAssert.ErrorKeys(problem);
            Assert.True(
                keys.Contains(hostile.FieldAtFault),
                $"Expected errors to name '{hostile.FieldAtFault}', got [{string.Join(", ", keys)}]: {body}");
            return;
        }

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.True(
            detail.Contains(hostile.FieldAtFault, StringComparison.OrdinalIgnoreCase),
            $"Expected the detail to name '{hostile.FieldAtFault}': {body}");
    }
}

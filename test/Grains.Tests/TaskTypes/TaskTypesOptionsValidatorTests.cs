using TaskQueue.Grains.TaskTypes;
using Xunit;

namespace TaskQueue.Grains.Tests.TaskTypes;

public sealed class TaskTypesOptionsValidatorTests
{
    [Fact]
    public void Validate_SyftLikeType_Succeeds()
    {
        var result = new TaskTypesOptionsValidator().Validate(null, TaskTypeSamples.Options());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_NoTaskTypes_SaysHowToConfigureOne()
    {
        var result = new TaskTypesOptionsValidator().Validate(null, new TaskTypesOptions());

        Assert.True(result.Failed);
        Assert.Contains("TaskQueue__TaskTypes__<name>__Endpoint", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Endpoint", "TaskQueue__TaskTypes__syft__Endpoint")]
    [InlineData("MaxAttempts", "TaskQueue__TaskTypes__syft__MaxAttempts")]
    [InlineData("AttemptDeadline", "TaskQueue__TaskTypes__syft__AttemptDeadline")]
    [InlineData("MaxBackoff", "TaskQueue__TaskTypes__syft__MaxBackoff")]
    [InlineData("MaxConcurrentAttempts", "TaskQueue__TaskTypes__syft__MaxConcurrentAttempts")]
    [InlineData("Pattern", "TaskQueue__TaskTypes__syft__Parameters__docker_image_id__Pattern")]
    [InlineData("Default", "TaskQueue__TaskTypes__syft__Parameters__format__Default")]
    [InlineData("PatternDescription", "TaskQueue__TaskTypes__syft__Parameters__format__PatternDescription")]
    public void Validate_BrokenSetting_NamesItsEnvironmentVariable(string setting, string variable)
    {
        var options = TaskTypeSamples.Options();
        var syft = options.TaskTypes["syft"];
        switch (setting)
        {
            case "Endpoint": syft.Endpoint = new Uri("ftp://example/"); break;
            case "MaxAttempts": syft.MaxAttempts = 0; break;
            case "AttemptDeadline": syft.AttemptDeadline = TimeSpan.Zero; break;
            case "MaxBackoff": syft.MaxBackoff = TimeSpan.FromMilliseconds(1); break;
            case "MaxConcurrentAttempts": syft.MaxConcurrentAttempts = 0; break;
            case "Pattern": syft.Parameters["docker_image_id"].Pattern = "(unclosed"; break;
            case "Default": syft.Parameters["format"].Default = "xml"; break;
            case "PatternDescription": syft.Parameters["format"].PatternDescription = "a format"; break;
        }

        var result = new TaskTypesOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(variable, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Syft")]
    [InlineData("has space")]
    [InlineData("")]
    public void Validate_BadTaskTypeName_Fails(string name)
    {
        var options = new TaskTypesOptions();
        options.TaskTypes[name] = TaskTypeSamples.Options().TaskTypes["syft"];

        Assert.True(new TaskTypesOptionsValidator().Validate(null, options).Failed);
    }

    [Fact]
    public void Validate_RequiredParameterWithDefault_Fails()
    {
        var options = TaskTypeSamples.Options();
        options.TaskTypes["syft"].Parameters["docker_image_id"].Default = "alpine";

        var result = new TaskTypesOptionsValidator().Validate(null, options);

        Assert.Contains("docker_image_id__Default", result.FailureMessage, StringComparison.Ordinal);
    }
}

using TaskQueue.Grains.TaskTypes;
using Xunit;

namespace TaskQueue.Grains.Tests.TaskTypes;

public sealed class TaskParameterRulesTests
{
    [Fact]
    public void Check_PatternMismatchWithDescription_SaysWhatIsExpected()
    {
        var parameter = new TaskParameterOptions { Pattern = "[a-z]+", PatternDescription = "lowercase letters" };

        var problem = TaskParameterRules.Check(parameter, "ABC");

        Assert.Equal("The value does not have the expected form; expected lowercase letters.", problem);
    }

    [Fact]
    public void Check_PatternMismatchWithoutDescription_SaysOnlyThatTheFormIsWrong()
    {
        var parameter = new TaskParameterOptions { Pattern = "[a-z]+" };

        var problem = TaskParameterRules.Check(parameter, "ABC");

        Assert.Equal("The value does not have the expected form.", problem);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--output=/etc/passwd")]
    public void Check_ValueStartingWithDash_SaysItReadsAsAnOption(string value)
    {
        var parameter = new TaskParameterOptions { Pattern = "[a-z]+", PatternDescription = "lowercase letters" };

        var problem = TaskParameterRules.Check(parameter, value);

        Assert.Equal(
            "The value must not start with '-': it would read as a command-line option; expected lowercase letters.",
            problem);
    }

    [Fact]
    public void Check_DashAllowedByThePattern_IsAccepted()
    {
        var parameter = new TaskParameterOptions { Pattern = "-?[0-9]+" };

        Assert.Null(TaskParameterRules.Check(parameter, "-12"));
    }
}

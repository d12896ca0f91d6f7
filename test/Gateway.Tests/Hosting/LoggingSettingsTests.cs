using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Gateway.Tests.Hosting;

/// <summary>
/// The logging defaults of each program's settings file, read as the programs read them: the chatty libraries
/// (Npgsql logs every command, Polly every grain placement) are quiet in production, our own Information lines are
/// not, and every console line carries a UTC ISO 8601 time whatever the machine's culture.
/// </summary>
public sealed class LoggingSettingsTests
{
    public static TheoryData<string> SettingsFiles =>
        ["src/Silo/appsettings.json", "src/Gateway/appsettings.json", "src/SyftService/appsettings.json"];

    [Theory]
    [InlineData("src/Silo/appsettings.json")]
    [InlineData("src/Gateway/appsettings.json")]
    public void LogLevels_ChattyLibraries_WarningsOnly(string settingsFile)
    {
        using var services = Services(settingsFile);
        var loggers = services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Polly").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Polly").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("TaskQueue.Grains.Tasks.TaskGrain").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [MemberData(nameof(SettingsFiles))]
    public void ConsoleTimestamp_AnyCulture_UtcIso8601(string settingsFile)
    {
        using var services = Services(settingsFile);
        var console = services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
        var formatter = services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;
        var time = new DateTimeOffset(2026, 12, 4, 7, 5, 9, 42, TimeSpan.Zero);

        // Some cultures (Finnish, say) separate hours and minutes with '.': an unquoted ':' in the format would follow.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.TimeSeparator = ".";
        var written = time.ToString(formatter.TimestampFormat, culture);

        Assert.Equal(ConsoleFormatterNames.Simple, console.FormatterName);
        Assert.True(formatter.UseUtcTimestamp, $"{settingsFile}: UseUtcTimestamp is not set.");
        Assert.Equal("2026-12-04T07:05:09.042Z ", written);
    }

    private static ServiceProvider Services(string settingsFile)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, settingsFile), optional: false)
            .Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole())
            .BuildServiceProvider();
    }
}

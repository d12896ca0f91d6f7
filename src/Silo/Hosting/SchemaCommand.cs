using TaskQueue.Silo.Storage.PostgreSql;

namespace TaskQueue.Silo.Hosting;

/// <summary>
/// <c>TaskQueue.Silo migrate</c>: brings the configured backend's schema up to date without starting a silo,
/// for a deployment step that runs before the silos (or with <c>ApplySchemaOnStart</c> off).
/// </summary>
public static class SchemaCommand
{
    /// <summary>The command-line verb.</summary>
    public const string Verb = "migrate";

    /// <summary>Applies what is missing and answers the process's exit code; says what it did on stdout.</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var provider = TaskStorageOptions.ProviderOf(configuration);
        if (provider != TaskStorageProvider.PostgreSql)
        {
            // The embedded file and MongoDB's indexes are set up by the silo itself; there is nothing to do ahead.
            Console.WriteLine($"The {provider} backend needs no separate schema step: the silo prepares it as it starts.");
            return 0;
        }

        var options = configuration.GetSection(PostgreSqlStorageOptions.SectionName).Get<PostgreSqlStorageOptions>()
            ?? new PostgreSqlStorageOptions();
        try
        {
            var change = await PostgreSqlSchema.ApplyAsync(options, loggerFactory, cancellationToken);
            Console.WriteLine(change.PreviousVersion == change.CurrentVersion
                ? $"PostgreSQL schema '{options.Schema}' is up to date at version {change.CurrentVersion}."
                : $"PostgreSQL schema '{options.Schema}' went from version {change.PreviousVersion} to {change.CurrentVersion}.");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskQueue.Grains.Results;

namespace TaskQueue.Silo.Results;

/// <summary>Registers the result store that <c>TaskQueue:Results</c> chooses.</summary>
public static class ResultStoreServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ResultStoreOptions"/> from <c>TaskQueue:Results</c>, validates them at start, registers
    /// the chosen <see cref="IResultStore"/> as a singleton and prepares it (folder, bucket) when the host starts.
    /// The silo and the gateway both call it; calling it twice registers once.
    /// </summary>
    public static IServiceCollection AddTaskQueueResultStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(IResultStore)))
        {
            return services;
        }

        services.AddOptions<ResultStoreOptions>()
            .BindConfiguration(ResultStoreOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ResultStoreOptions>, ResultStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CreateStore);
        services.AddHostedService<ResultStoreStartup>();
        return services;
    }

    private static IResultStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ResultStoreOptions>>().Value;
        return options.Provider switch
        {
            ResultStoreProvider.S3 => new S3ResultStore(
                options.S3,
                services.GetRequiredService<ILogger<S3ResultStore>>()),
            _ => new LocalFolderResultStore(
                options.LocalFolder,
                services.GetRequiredService<ILogger<LocalFolderResultStore>>(),
                services.GetRequiredService<TimeProvider>()),
        };
    }
}

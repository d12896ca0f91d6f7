using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Grains.Dispatch;
using TaskQueue.Grains.Results;
using TaskQueue.Grains.Storage;

namespace TaskQueue.Bench.Profiling;

/// <summary>
/// Wraps the silo's task store, reminder table, result store and dispatch client in timing decorators, replacing
/// the registrations the product made: the silo runs its own code, each stage's calls are timed on the way.
/// </summary>
internal static class StageDecorators
{
    public static void Add(IServiceCollection services, StageTimes times)
    {
        services.AddSingleton(times);
        Decorate<ITaskStore>(services, (inner, _) => new TimedTaskStore(inner, times));
        Decorate<IReminderTable>(services, (inner, _) => new TimedReminderTable(inner, times));
        Decorate<IResultStore>(services, (inner, _) => new TimedResultStore(inner, times));
        services.AddTransient<TimingHandler>();
        services.AddHttpClient(TaskDispatcher.HttpClientName).AddHttpMessageHandler<TimingHandler>();
    }

    /// <summary>Replaces the last registration of <typeparamref name="T"/> (the one resolved) with a wrapper of it.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap)
        where T : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(T))
            ?? throw new InvalidOperationException($"The silo registered no {typeof(T).Name} to time.");
        services.Remove(original);
        services.AddSingleton<T>(provider => wrap(Resolve<T>(original, provider), provider));
    }

    private static T Resolve<T>(ServiceDescriptor original, IServiceProvider provider)
        where T : class =>
        (T)(original.ImplementationInstance
            ?? original.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, original.ImplementationType!));
}

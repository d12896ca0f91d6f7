namespace TaskQueue.Bench;

/// <summary>Where things are on the machines this tool was written for; each can be overridden on the command line.</summary>
internal static class Defaults
{
    /// <summary>The shared no-op endpoint that the peers (Celery, Hangfire) drive too.</summary>
    public static string NoopServer =>
        Environment.GetEnvironmentVariable("TASKQUEUE_BENCH_NOOP_SERVER") ?? "/work/shared/peers/noop-server.js";
}

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>Bounded waits: the test's own token, cancelled after a deadline as well.</summary>
internal static class Deadline
{
    public static CancellationTokenSource After(TimeSpan deadline)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(deadline);
        return source;
    }

    public static CancellationTokenSource Seconds(int seconds) => After(TimeSpan.FromSeconds(seconds));
}

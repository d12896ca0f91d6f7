using Microsoft.Extensions.Time.Testing;
using TaskQueue.Grains.Dispatch;
using TaskQueue.Grains.TaskTypes;
using Xunit;

namespace TaskQueue.Grains.Tests.Dispatch;

public sealed class DispatchSlotsTests
{
    private static readonly TaskTypeDefinition OneAtATime =
        new("one", new TaskTypeOptions { Endpoint = new Uri("http://127.0.0.1:9/"), MaxConcurrentAttempts = 1 });

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Acquire_FreeSlot_IsGrantedAtOnce()
    {
        var slots = new DispatchSlots(_time);

        using var slot = await slots.AcquireAsync(OneAtATime, "alice", TestContext.Current.CancellationToken);

        Assert.Equal(1, slots.InUse(OneAtATime));
    }

    [Fact]
    public async Task Release_UsersWaiting_TakeTurnsRatherThanFirstComeFirstServed()
    {
        var slots = new DispatchSlots(_time);
        var held = await slots.AcquireAsync(OneAtATime, "alice", TestContext.Current.CancellationToken);
        var order = new List<string>();
        var waiting = new List<Task>();
        foreach (var user in (string[])["alice", "alice", "alice", "bob", "carol", "bob"])
        {
            waiting.Add(TakeAndRelease(slots, user, order));
        }

        held.Dispose();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(["alice", "bob", "carol", "alice", "bob", "alice"], order);
    }

    [Fact]
    public async Task Pause_HoldsWaitersUntilItEnds()
    {
        var slots = new DispatchSlots(_time);
        slots.Pause(OneAtATime, TimeSpan.FromSeconds(5));

        var waiting = slots.AcquireAsync(OneAtATime, "alice", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        using var slot = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(1, slots.InUse(OneAtATime));
    }

    [Fact]
    public async Task Pause_ShorterThanOneAlreadyRunning_DoesNotShortenIt()
    {
        var slots = new DispatchSlots(_time);
        slots.Pause(OneAtATime, TimeSpan.FromSeconds(10));
        slots.Pause(OneAtATime, TimeSpan.FromSeconds(1));

        var waiting = slots.AcquireAsync(OneAtATime, "alice", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        using var slot = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_GivesUpItsPlace()
    {
        var slots = new DispatchSlots(_time);
        var held = await slots.AcquireAsync(OneAtATime, "alice", TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var abandoned = slots.AcquireAsync(OneAtATime, "bob", cancel.Token);
        var next = slots.AcquireAsync(OneAtATime, "carol", TestContext.Current.CancellationToken);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        held.Dispose();
        using var granted = await next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(1, slots.InUse(OneAtATime));
    }

    private static async Task TakeAndRelease(DispatchSlots slots, string user, List<string> order)
    {
        using var slot = await slots.AcquireAsync(OneAtATime, user, TestContext.Current.CancellationToken);
        lock (order)
        {
            order.Add(user);
        }

        await Task.Yield();
    }
}

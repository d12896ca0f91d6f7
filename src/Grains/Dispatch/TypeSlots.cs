namespace TaskQueue.Grains.Dispatch;

/// <summary>
/// The slots of one task type on this silo: a count of free slots, waiters queued per user, the users taking
/// turns, and a pause that holds every waiter until the type's service is ready again.
/// </summary>
internal sealed class TypeSlots(int max, TimeProvider time)
{
    private readonly int _max = max;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedList<Waiter>> _waitersByUser = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private int _free = max;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private ITimer? _resume;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _max - _free;
            }
        }
    }

    public async Task<IDisposable> AcquireAsync(string userId, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_free > 0 && _turns.Count == 0 && !IsPaused())
            {
                _free--;
                return new Slot(this);
            }

            waiter = Enqueue(userId);
        }

        await using var registration = cancellationToken.Register(() => Abandon(waiter));
        await waiter.Granted.Task;
        return new Slot(this);
    }

    public void Pause(TimeSpan pause)
    {
        lock (_gate)
        {
            var until = time.GetUtcNow() + pause;
            if (until <= _pausedUntil)
            {
                return;
            }

            _pausedUntil = until;
            _resume?.Dispose();
            _resume = time.CreateTimer(state => Resume((DateTimeOffset)state!), until, pause, Timeout.InfiniteTimeSpan);
        }
    }

    private Waiter Enqueue(string userId)
    {
        if (!_waitersByUser.TryGetValue(userId, out var waiters))
        {
            waiters = new LinkedList<Waiter>();
            _waitersByUser[userId] = waiters;
            _turns.Enqueue(userId);
        }

        var waiter = new Waiter(userId);
        waiter.Node = waiters.AddLast(waiter);
        return waiter;
    }

    private void Release()
    {
        lock (_gate)
        {
            _free++;
            HandOut();
        }
    }

    private void Resume(DateTimeOffset until)
    {
        lock (_gate)
        {
            // The timer may fire a moment before the clock reads `until`; the newest pause decides.
            if (until == _pausedUntil)
            {
                _pausedUntil = DateTimeOffset.MinValue;
            }

            HandOut();
        }
    }

    /// <summary>Gives free slots to waiting users in turn: each user's oldest waiter, then the next user.</summary>
    private void HandOut()
    {
        while (_free > 0 && _turns.Count > 0 && !IsPaused())
        {
            var userId = _turns.Dequeue();
            var waiters = _waitersByUser[userId];
            var waiter = waiters.First!.Value;
            waiters.RemoveFirst();
            waiter.Node = null;
            if (waiters.Count > 0)
            {
                _turns.Enqueue(userId);
            }
            else
            {
                _waitersByUser.Remove(userId);
            }

            _free--;
            waiter.Granted.TrySetResult();
        }
    }

    private void Abandon(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                // Already granted: the slot is the caller's and goes back when the caller disposes it.
                return;
            }

            var waiters = _waitersByUser[waiter.UserId];
            waiters.Remove(waiter.Node);
            waiter.Node = null;
            if (waiters.Count == 0)
            {
                _waitersByUser.Remove(waiter.UserId);
                RemoveTurn(waiter.UserId);
            }

            waiter.Granted.TrySetCanceled();
        }
    }

    private void RemoveTurn(string userId)
    {
        var remaining = _turns.Where(u => !string.Equals(u, userId, StringComparison.Ordinal)).ToArray();
        _turns.Clear();
        foreach (var user in remaining)
        {
            _turns.Enqueue(user);
        }
    }

    private bool IsPaused() => time.GetUtcNow() < _pausedUntil;

    private sealed class Waiter(string userId)
    {
        public string UserId { get; } = userId;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    private sealed class Slot(TypeSlots owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}

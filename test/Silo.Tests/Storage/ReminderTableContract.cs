using Xunit;

namespace TaskQueue.Silo.Tests.Storage;

/// <summary>
/// What every Orleans <see cref="IReminderTable"/> backend of ours promises, matching Orleans' own tables:
/// unconditional upserts that answer a new etag, removes that answer false for a stale etag, and ring-range reads
/// over (begin, end] that wrap when begin &gt;= end. A backend's suite derives from this class and supplies a
/// fresh, started table per test. Grain ids are random and range checks look only at this test's rows, so a
/// backend may share one server between tests (except for <c>TestOnlyClearTable</c>, which clears everything).
/// </summary>
public abstract class ReminderTableContract : IAsyncLifetime
{
    private static readonly DateTime StartAt = new(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private IReminderTable? _table;

    protected ReminderTableContract() => _timeout.CancelAfter(TimeSpan.FromMinutes(2));

    /// <summary>Bounds every await of a test.</summary>
    protected CancellationToken Cancellation => _timeout.Token;

    protected IReminderTable Table =>
        _table ?? throw new InvalidOperationException("The table is made in InitializeAsync.");

    public async ValueTask InitializeAsync() => _table = await CreateTableAsync(Cancellation);

    public async ValueTask DisposeAsync()
    {
        await DisposeTableAsync();
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ReadRow_MissingReminder_ReturnsNull()
    {
        var grain = NewGrain();
        await Table.UpsertRow(Entry(grain, "other"), Cancellation);

        Assert.Null(await Table.ReadRow(grain, "missing", Cancellation));
        Assert.Null(await Table.ReadRow(NewGrain(), "other", Cancellation));
    }

    [Fact]
    public async Task UpsertRow_NewReminder_ReadsBackWithTheAnsweredETag()
    {
        var entry = Entry(NewGrain(), "wake-up", StartAt, TimeSpan.FromMinutes(3) + TimeSpan.FromMilliseconds(250));

        var etag = await Table.UpsertRow(entry, Cancellation);
        var stored = await Table.ReadRow(entry.GrainId, entry.ReminderName, Cancellation);

        Assert.False(string.IsNullOrEmpty(etag));
        Assert.NotNull(stored);
        Assert.Equal(entry.GrainId, stored.GrainId);
        Assert.Equal("wake-up", stored.ReminderName);
        Assert.Equal(StartAt, stored.StartAt);
        Assert.Equal(entry.Period, stored.Period);
        Assert.Equal(etag, stored.ETag);
    }

    [Fact]
    public async Task UpsertRow_ExistingReminder_ReplacesItWithNewETag()
    {
        var grain = NewGrain();
        var first = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);

        var second = await Table.UpsertRow(
            Entry(grain, "wake-up", StartAt.AddHours(1), TimeSpan.FromMinutes(10)), Cancellation);
        var rows = await Table.ReadRows(grain, Cancellation);

        Assert.NotEqual(first, second);
        var stored = Assert.Single(rows.Reminders);
        Assert.Equal(second, stored.ETag);
        Assert.Equal(StartAt.AddHours(1), stored.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(10), stored.Period);
    }

    [Fact]
    public async Task RemoveRow_CurrentETag_RemovesAndAnswersTrue()
    {
        var grain = NewGrain();
        var etag = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);
        await Table.UpsertRow(Entry(grain, "stays"), Cancellation);

        var removed = await Table.RemoveRow(grain, "wake-up", etag!, Cancellation);

        Assert.True(removed);
        Assert.Null(await Table.ReadRow(grain, "wake-up", Cancellation));
        Assert.NotNull(await Table.ReadRow(grain, "stays", Cancellation));
    }

    [Fact]
    public async Task RemoveRow_StaleETag_AnswersFalseAndKeepsRow()
    {
        var grain = NewGrain();
        var stale = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);
        var current = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);

        Assert.False(await Table.RemoveRow(grain, "wake-up", stale!, Cancellation));
        Assert.False(await Table.RemoveRow(grain, "wake-up", "not an etag", Cancellation));

        Assert.Equal(current, (await Table.ReadRow(grain, "wake-up", Cancellation))?.ETag);
    }

    [Fact]
    public async Task RemoveRow_MissingReminder_AnswersFalse()
    {
        var grain = NewGrain();
        var etag = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);

        Assert.False(await Table.RemoveRow(grain, "other", etag!, Cancellation));
        Assert.False(await Table.RemoveRow(NewGrain(), "wake-up", etag!, Cancellation));
    }

    [Fact]
    public async Task RemoveRow_ETagFromBeforeRemoveAndRecreate_AnswersFalse()
    {
        var grain = NewGrain();
        var old = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);
        Assert.True(await Table.RemoveRow(grain, "wake-up", old!, Cancellation));
        var recreated = await Table.UpsertRow(Entry(grain, "wake-up"), Cancellation);

        Assert.False(await Table.RemoveRow(grain, "wake-up", old!, Cancellation));

        Assert.Equal(recreated, (await Table.ReadRow(grain, "wake-up", Cancellation))?.ETag);
    }

    [Fact]
    public async Task ReadRows_Grain_ReturnsThatGrainsRemindersOnly()
    {
        var grain = NewGrain();
        var neighbour = NewGrain();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Table.UpsertRow(Entry(grain, name), Cancellation);
        }

        await Table.UpsertRow(Entry(neighbour, "a"), Cancellation);

        var rows = await Table.ReadRows(grain, Cancellation);

        Assert.Equal(["a", "b", "c"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(grain, r.GrainId));
        Assert.Empty((await Table.ReadRows(NewGrain(), Cancellation)).Reminders);
    }

    [Fact]
    public async Task ReadRows_Range_ExcludesBeginIncludesEnd()
    {
        var created = await CreateRemindersAsync(60);
        var hashes = created.Keys.Order().ToList();

        await AssertRangeAsync(created, hashes[10], hashes[40]);
        await AssertRangeAsync(created, hashes[10], hashes[11]);
        await AssertRangeAsync(created, hashes[10] - 1, hashes[10]);
        await AssertRangeAsync(created, 0, hashes[^1]);
        await AssertRangeAsync(created, hashes[^1], uint.MaxValue);
    }

    [Fact]
    public async Task ReadRows_RangeWhereBeginExceedsEnd_WrapsAroundTheRing()
    {
        var created = await CreateRemindersAsync(60);
        var hashes = created.Keys.Order().ToList();

        await AssertRangeAsync(created, hashes[40], hashes[10]);
        await AssertRangeAsync(created, uint.MaxValue, hashes[20]);
        await AssertRangeAsync(created, hashes[30], 0);
    }

    [Fact]
    public async Task ReadRows_BeginEqualsEnd_ReadsTheWholeRing()
    {
        var created = await CreateRemindersAsync(40);
        var hashes = created.Keys.Order().ToList();

        foreach (var point in new[] { 0u, hashes[17], uint.MaxValue })
        {
            var rows = await Table.ReadRows(point, point, Cancellation);
            var ours = rows.Reminders.Where(r => created.ContainsKey(r.GrainId.GetUniformHashCode())).ToList();
            Assert.Equal(created.Count, ours.Count);
        }
    }

    [Fact]
    public async Task ReadRows_RangesThatPartitionTheRing_ReturnEveryReminderOnce()
    {
        var created = await CreateRemindersAsync(500);
        var random = new Random(11);
        var points = Enumerable.Range(0, 9)
            .Select(_ => (uint)random.NextInt64(0, 1L << 32))
            .Distinct()
            .Order()
            .ToList();
        var ranges = points.Select((begin, i) => (Begin: begin, End: points[(i + 1) % points.Count])).ToList();

        var ours = created.Values.ToHashSet();
        var seen = new List<GrainId>();
        foreach (var (begin, end) in ranges)
        {
            var rows = await Table.ReadRows(begin, end, Cancellation);
            seen.AddRange(rows.Reminders.Select(r => r.GrainId).Where(ours.Contains));
        }

        Assert.Equal(created.Values.Order(), seen.Order());
    }

    [Fact]
    public async Task UpsertRow_ManyRemindersInParallel_AllStored()
    {
        var entries = Enumerable.Range(0, 300).Select(i => Entry(NewGrain(), $"r{i % 3}")).ToList();

        var etags = await Task.WhenAll(entries.Select(e => Table.UpsertRow(e, Cancellation))).WaitAsync(Cancellation);

        Assert.Equal(entries.Count, etags.Distinct().Count());
        for (var i = 0; i < entries.Count; i++)
        {
            var stored = await Table.ReadRow(entries[i].GrainId, entries[i].ReminderName, Cancellation);
            Assert.Equal(etags[i], stored?.ETag);
        }
    }

    [Fact]
    public async Task TestOnlyClearTable_RemovesEveryReminder()
    {
        var created = await CreateRemindersAsync(20);

        await Table.TestOnlyClearTable(Cancellation);

        Assert.Empty((await Table.ReadRows(0, 0, Cancellation)).Reminders);
        Assert.Null(await Table.ReadRow(created.Values.First(), "tick", Cancellation));
    }

    /// <summary>A new, empty, started table of the backend under test.</summary>
    protected abstract ValueTask<IReminderTable> CreateTableAsync(CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="CreateTableAsync"/> made.</summary>
    protected abstract ValueTask DisposeTableAsync();

    protected static GrainId NewGrain() => GrainId.Create("contract-test", Guid.NewGuid().ToString("N"));

    protected static ReminderEntry Entry(
        GrainId grain,
        string name,
        DateTime? startAt = null,
        TimeSpan? period = null) =>
        new()
        {
            GrainId = grain,
            ReminderName = name,
            StartAt = startAt ?? StartAt,
            Period = period ?? TimeSpan.FromMinutes(1),
        };

    // Orleans' ring: (begin, end] when begin < end, otherwise everything above begin or up to end.
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    /// <summary>One reminder "tick" on each of <paramref name="count"/> new grains, keyed by grain hash.</summary>
    private async Task<Dictionary<uint, GrainId>> CreateRemindersAsync(int count)
    {
        var grains = new Dictionary<uint, GrainId>();
        while (grains.Count < count)
        {
            // Distinct hashes keep the expected sets exact; a collision between random grains is merely skipped.
            var grain = NewGrain();
            grains.TryAdd(grain.GetUniformHashCode(), grain);
        }

        await Task.WhenAll(grains.Values.Select(g => Table.UpsertRow(Entry(g, "tick"), Cancellation)))
            .WaitAsync(Cancellation);
        return grains;
    }

    /// <summary>The range holds exactly this test's reminders that belong in it, and nothing outside it.</summary>
    private async Task AssertRangeAsync(Dictionary<uint, GrainId> created, uint begin, uint end)
    {
        var rows = await Table.ReadRows(begin, end, Cancellation);

        var hashes = rows.Reminders.Select(r => r.GrainId.GetUniformHashCode()).ToList();
        Assert.All(hashes, h => Assert.True(InRange(h, begin, end), $"Hash {h} is outside ({begin}, {end}]."));
        var expected = created.Keys.Where(h => InRange(h, begin, end)).Order();
        Assert.Equal(expected, hashes.Where(created.ContainsKey).Order());
    }
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Changes;

/// <summary>
/// Follows the <c>changes</c> table and hands every committed change, once and in order, to the
/// <see cref="IChangeHandler"/>s (docs/decisions/ADR-003-change-feed.md). A writer of this process says what it
/// committed (<see cref="Committed"/>) and catches up before it answers, so its own reads see its writes; changes
/// committed elsewhere (another process, or a writer of this one that has not reported yet) are read from the
/// table. A number missing from the table is held open as a gap and applied when it appears, so a transaction
/// that commits after a later one is never skipped. A gap is given up only when it cannot appear any more: on
/// PostgreSQL once every transaction that had begun when it was first missed has ended (<see cref="IChangeLogHorizon"/>),
/// on SQLite (one writing process) after <see cref="GapTimeout"/>.
/// </summary>
public sealed class ChangeFeed(IDbContextFactory<AppDbContext> dbFactory, IAnalyticsStore store, IChangeLogHorizon horizon, IServiceProvider services,
    TimeProvider clock, ILogger<ChangeFeed> logger)
{
    // Resolved when first used, as the handlers are: the notifier's registration depends on the store.
    private IChangeNotifier Notifier => field ??= services.GetService<IChangeNotifier>() ?? new NoChangeNotifier();

    /// <summary>How long a missing number is waited for, where the store cannot tell whether its transaction still runs.</summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A missing number is held at least this long even when the store says its transactions have ended: the number
    /// is drawn a moment before its transaction gets the id the store's answer is about.
    /// </summary>
    public static readonly TimeSpan GapMinimum = TimeSpan.FromSeconds(1);

    /// <summary>How long without a successful read of the log before this instance counts as not following it.</summary>
    public static readonly TimeSpan FollowingWithin = TimeSpan.FromSeconds(10);

    /// <summary>How far below the newest number a starting follower looks for numbers still in flight.</summary>
    private const int StartWindow = 10_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<long, Change> _local = new();
    private readonly Dictionary<long, Gap> _gaps = [];
    private IChangeHandler[]? _handlers;
    private long _applied = -1;
    private long _readAt = long.MinValue;

    /// <summary>The highest change number applied (every lower one is applied too, except open gaps).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Numbers still missing below <see cref="Applied"/>, held open for a transaction that may still commit.</summary>
    public int OpenGaps
    {
        get
        {
            lock (_gaps)
            {
                return _gaps.Count;
            }
        }
    }

    /// <summary>When the log was last read successfully (null: never), for /health.</summary>
    public DateTimeOffset? LastRead => Interlocked.Read(ref _readAt) is var ms and > long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Whether this instance follows the log: it has started and read it within <see cref="FollowingWithin"/>.</summary>
    public bool Following => LastRead is { } read && clock.GetUtcNow() - read < FollowingWithin;

    /// <summary>Asks the follower to read the log now (another instance committed a change).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    /// <summary>Raised after changes were applied by every handler (for live pages), outside the feed's lock.</summary>
    public event Action<IReadOnlyList<Change>>? Changed;

    /// <summary>
    /// Starts following from the newest change: what is in memory is read from the database after this. Numbers
    /// missing below it may belong to transactions still running (another instance's), so they are held open.
    /// </summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        List<long> recent;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            recent = await db.Changes.OrderByDescending(c => c.Seq).Select(c => c.Seq).Take(StartWindow).ToListAsync(ct);
        }
        var begun = await horizon.BegunAsync(ct);
        var newest = recent.Count > 0 ? recent[0] : 0;
        if (begun is not null)
        {
            // Pruned numbers look the same as running ones here; they are given up as soon as the transactions
            // running now have ended.
            var present = recent.ToHashSet();
            lock (_gaps)
            {
                for (var seq = Math.Max(1, newest - StartWindow); seq < newest; seq++)
                {
                    if (!present.Contains(seq))
                    {
                        _gaps[seq] = new Gap(clock.GetUtcNow(), begun);
                    }
                }
            }
        }
        Interlocked.CompareExchange(ref _applied, newest, -1);
        Interlocked.Exchange(ref _readAt, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>A writer of this process committed this change: applied without reading it back, and the other instances are told.</summary>
    public void Committed(Change change)
    {
        Notifier.Notify();
        if (change.Seq > Applied)
        {
            _local[change.Seq] = change;
        }
    }

    /// <summary>
    /// Applies everything committed up to <paramref name="upTo"/> (all that is in the table when null). Reads the
    /// table only when this process's own changes do not reach that far in order.
    /// </summary>
    public async Task CatchUpAsync(long? upTo = null, CancellationToken ct = default)
    {
        if (Applied < 0)
        {
            return; // not started: the app is still initialising, and will read everything when it starts
        }
        await _gate.WaitAsync(ct);
        var applied = new List<Change>();
        try
        {
            applied.AddRange(await ApplyLocalAsync(ct));
            if (upTo is null || Applied < upTo || OpenGaps > 0)
            {
                applied.AddRange(await ApplyStoredAsync(ct));
                applied.AddRange(await ApplyLocalAsync(ct));
            }
        }
        finally
        {
            _gate.Release();
        }
        if (applied.Count > 0)
        {
            Changed?.Invoke(applied);
        }
    }

    /// <summary>Deletes changes older than <paramref name="age"/> that this process has applied.</summary>
    public async Task PruneAsync(TimeSpan age, CancellationToken ct = default)
    {
        var before = (clock.GetUtcNow() - age).ToUnixTimeMilliseconds();
        var applied = Applied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Changes.Where(c => c.At < before && c.Seq <= applied).ExecuteDeleteAsync(ct);
    }

    private async Task<List<Change>> ApplyLocalAsync(CancellationToken ct)
    {
        var batch = new List<Change>();
        while (_local.TryRemove(Applied + batch.Count + 1, out var change))
        {
            batch.Add(change);
        }
        if (batch.Count > 0)
        {
            await DeliverAsync(batch, ct);
            Interlocked.Exchange(ref _applied, batch[^1].Seq);
        }
        foreach (var stale in _local.Keys.Where(seq => seq <= Applied))
        {
            _local.TryRemove(stale, out _);
        }
        return batch;
    }

    private async Task<List<Change>> ApplyStoredAsync(CancellationToken ct)
    {
        var applied = Applied;
        List<long> gaps;
        lock (_gaps)
        {
            gaps = _gaps.Keys.ToList();
        }
        // Asked before the read: a transaction that had ended by now and committed is in the read.
        var endedBelow = gaps.Count > 0 ? await horizon.EndedBelowAsync(ct) : null;
        List<ChangeRecord> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rows = await db.Changes.AsNoTracking().Where(c => c.Seq > applied || gaps.Contains(c.Seq)).OrderBy(c => c.Seq).Take(2000).ToListAsync(ct);
        }
        var now = clock.GetUtcNow();
        var batch = new List<Change>(rows.Count);
        var high = applied;
        var missed = new HashSet<long>();
        foreach (var row in rows)
        {
            if (row.Seq > high)
            {
                for (var missing = high + 1; missing < row.Seq; missing++)
                {
                    missed.Add(missing);
                }
                high = row.Seq;
            }
            else
            {
                bool wasGap;
                lock (_gaps)
                {
                    wasGap = _gaps.Remove(row.Seq);
                }
                if (!wasGap)
                {
                    continue; // applied already
                }
            }
            batch.Add(_local.TryRemove(row.Seq, out var local) ? local : await MaterializeAsync(row, ct));
        }
        // Asked after the read: every transaction that may own a number missing from it had begun by now.
        var begun = missed.Count > 0 ? await horizon.BegunAsync(ct) : null;
        lock (_gaps)
        {
            foreach (var seq in missed)
            {
                _gaps[seq] = new Gap(now, begun);
            }
            foreach (var (seq, gap) in _gaps.Where(g => !missed.Contains(g.Key) && CannotAppear(g.Value, endedBelow, now)).ToList())
            {
                _gaps.Remove(seq);
                logger.LogInformation("Change {Seq} never appeared and no transaction that could write it still runs: taken for a rolled-back transaction", seq);
            }
        }
        Interlocked.Exchange(ref _readAt, now.ToUnixTimeMilliseconds());
        if (batch.Count > 0)
        {
            await DeliverAsync(batch, ct);
            Interlocked.Exchange(ref _applied, Math.Max(Applied, high));
        }
        return batch;
    }

    private static bool CannotAppear(Gap gap, long? endedBelow, DateTimeOffset now) =>
        gap.Begun is { } begun && endedBelow is { } ended
            ? ended >= begun && now - gap.Since >= GapMinimum
            : now - gap.Since > GapTimeout;

    /// <summary>A missing number: since when, and the transactions begun by then (null where the store cannot tell).</summary>
    private readonly record struct Gap(DateTimeOffset Since, long? Begun);

    /// <summary>A change written by another process (or not yet reported by its writer), from its row.</summary>
    private async Task<Change> MaterializeAsync(ChangeRecord row, CancellationToken ct)
    {
        var change = new Change(row.Seq, row.Kind);
        switch (row.Kind)
        {
            case ChangeKind.Events:
                var facts = new List<ActivityFact>();
                foreach (var (from, to) in ChangePayload.EventRanges(row.Payload, out var campaigns))
                {
                    await store.ScanEventsByIdAsync(from, to, facts.Add, ct);
                    change = change with { CarriesCampaigns = campaigns };
                }
                return change with { Events = facts };
            case ChangeKind.Results:
                var results = ChangePayload.ParseResults(row.Payload);
                return change with { Results = results, Goals = results.Select(r => r.GoalId).Distinct().ToList() };
            case ChangeKind.GoalResults:
                return change with { Goals = ChangePayload.ParseGoals(row.Payload) };
            case ChangeKind.Definitions:
                return change with { Tables = ChangePayload.ParseTables(row.Payload) };
            default:
                return change;
        }
    }

    private async Task DeliverAsync(IReadOnlyList<Change> batch, CancellationToken ct)
    {
        _handlers ??= services.GetServices<IChangeHandler>().ToArray();
        foreach (var handler in _handlers)
        {
            try
            {
                await handler.ApplyAsync(batch, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // What it holds may now be wrong: it starts over from the database.
                logger.LogError(ex, "{Handler} could not apply changes {From}–{To}; it is reset", handler.GetType().Name, batch[0].Seq, batch[^1].Seq);
                handler.Reset();
            }
        }
    }
}

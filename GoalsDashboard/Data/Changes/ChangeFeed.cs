using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Changes;

/// <summary>
/// Follows the <c>changes</c> table and hands every committed change, once and in order, to the
/// <see cref="IChangeHandler"/>s (docs/decisions/ADR-003-change-feed.md). A writer of this process says what it
/// committed (<see cref="Committed"/>) and catches up before it answers, so its own reads see its writes; changes
/// committed elsewhere (another process, or a writer of this one that has not reported yet) are read from the
/// table. A number missing from the table is held open as a gap and applied when it appears, so a transaction
/// that commits after a later one is never skipped; a gap still open after <see cref="GapTimeout"/> was rolled back.
/// </summary>
public sealed class ChangeFeed(IDbContextFactory<AppDbContext> dbFactory, IAnalyticsStore store, IServiceProvider services, TimeProvider clock,
    ILogger<ChangeFeed> logger)
{
    /// <summary>How long a missing number is waited for before it is taken for a rolled-back transaction.</summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<long, Change> _local = new();
    private readonly Dictionary<long, DateTimeOffset> _gaps = [];
    private IChangeHandler[]? _handlers;
    private long _applied = -1;

    /// <summary>The highest change number applied (every lower one is applied too, except open gaps).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Raised after changes were applied by every handler (for live pages), outside the feed's lock.</summary>
    public event Action<IReadOnlyList<Change>>? Changed;

    /// <summary>Starts following from the newest change: what is in memory is read from the database after this.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await db.Changes.MaxAsync(c => (long?)c.Seq, ct) ?? 0;
        Interlocked.CompareExchange(ref _applied, newest, -1);
    }

    /// <summary>A writer of this process committed this change: applied without reading it back.</summary>
    public void Committed(Change change)
    {
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
            if (upTo is null || Applied < upTo || _gaps.Count > 0)
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
        var gaps = _gaps.Keys.ToList();
        List<ChangeRecord> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rows = await db.Changes.AsNoTracking().Where(c => c.Seq > applied || gaps.Contains(c.Seq)).OrderBy(c => c.Seq).Take(2000).ToListAsync(ct);
        }
        var now = clock.GetUtcNow();
        var batch = new List<Change>(rows.Count);
        var high = applied;
        foreach (var row in rows)
        {
            if (row.Seq > high)
            {
                for (var missing = high + 1; missing < row.Seq; missing++)
                {
                    _gaps[missing] = now;
                }
                high = row.Seq;
            }
            else if (!_gaps.Remove(row.Seq))
            {
                continue; // applied already
            }
            batch.Add(_local.TryRemove(row.Seq, out var local) ? local : await MaterializeAsync(row, ct));
        }
        foreach (var (seq, since) in _gaps.Where(g => now - g.Value > GapTimeout).ToList())
        {
            _gaps.Remove(seq);
            logger.LogInformation("Change {Seq} never appeared in {Timeout}: taken for a rolled-back transaction", seq, GapTimeout);
        }
        if (batch.Count > 0)
        {
            await DeliverAsync(batch, ct);
            Interlocked.Exchange(ref _applied, Math.Max(Applied, high));
        }
        return batch;
    }

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

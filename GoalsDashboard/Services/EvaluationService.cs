using System.Collections.Concurrent;
using GoalsDashboard.Data;
using GoalsDashboard.Data.Cluster;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>
/// Keeps stored completions and conversions equal to a full evaluation of each profile's history.
/// Live: after new data, the touched profiles are re-evaluated against every active goal. Backfill:
/// a new, edited or restored goal is evaluated over all profiles. In this process both run under one lock; across
/// instances, live evaluation shares the cluster's evaluation lock and a backfill holds it alone, so a backfill never
/// writes over fresher live results (docs/decisions/ADR-005-several-instances.md).
/// </summary>
public sealed class EvaluationService(IDbContextFactory<AppDbContext> dbFactory, IEventStore events, IResultStore results, IEvaluationQueue queue,
    IClusterLocks locks, AppInstance instance, TimeProvider clock, ILogger<EvaluationService> logger)
{
    /// <summary>How often a running backfill writes its progress for the other instances.</summary>
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<Guid, double> _progress = new();
    private volatile IReadOnlyDictionary<Guid, double> _running = new Dictionary<Guid, double>();

    /// <summary>Backfill progress (0–1) of the goals being evaluated now, by this instance or another.</summary>
    public double? ProgressOf(Guid goalId) =>
        _progress.TryGetValue(goalId, out var p) ? p : _running.TryGetValue(goalId, out var other) ? other : null;

    /// <summary>Reads every instance's running backfills (the backfill worker calls this every second).</summary>
    public async Task RefreshProgressAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        _running = await db.BackfillProgress.AsNoTracking().ToDictionaryAsync(p => p.GoalId, p => p.Progress, ct);
    }

    /// <summary>
    /// Re-evaluates the profiles against every active goal and stores what changed. A profile whose stored
    /// history cannot be read whole is left as it is and returned with the reason, to be set aside.
    /// </summary>
    /// <param name="claimedOnly">Write only the profiles this instance still has claimed in the queue (live evaluation).</param>
    public async Task<IReadOnlyList<(long ProfileId, string Error)>> EvaluateProfilesAsync(IReadOnlyCollection<long> profileIds, bool claimedOnly = false,
        CancellationToken ct = default)
    {
        if (profileIds.Count == 0)
        {
            return [];
        }
        await _lock.WaitAsync(ct);
        try
        {
            await using var shared = await locks.EvaluationAsync(exclusive: false, ct);
            var goals = await ActiveGoalsAsync(ct);
            if (goals.Count == 0)
            {
                return [];
            }
            var withProperties = goals.Any(HasFilters);
            var fresh = new List<(Guid, long, EvaluationResult)>();
            var failures = new List<(long, string)>();
            foreach (var chunk in profileIds.Chunk(500))
            {
                var unreadable = new HashSet<long>();
                await foreach (var stored in events.ReadHistoriesAsync(chunk, withProperties, ct))
                {
                    if (stored.Unreadable is { } error)
                    {
                        unreadable.Add(stored.History.ProfileId);
                        failures.Add((stored.History.ProfileId, error));
                        continue;
                    }
                    foreach (var goal in goals)
                    {
                        fresh.Add((goal.Id, stored.History.ProfileId, GoalEvaluator.Evaluate(goal, stored.History, stored.Recorded.GetValueOrDefault(goal.Id))));
                    }
                }
                // An unreadable profile's stored results stay as they are: replacing them would erase them.
                await results.ReplaceResultsAsync(goals.Select(g => g.Id).ToList(), unreadable.Count == 0 ? chunk : chunk.Where(id => !unreadable.Contains(id)).ToList(), fresh,
                    claimedOnly, ct);
                fresh.Clear();
            }
            return failures;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Evaluates one goal over all history and marks the version it evaluated. Archived goals are left alone.</summary>
    public async Task BackfillAsync(Guid goalId, CancellationToken ct = default)
    {
        await _lock.WaitAsync(ct);
        try
        {
            await using var exclusive = await locks.EvaluationAsync(exclusive: true, ct);
            Goal? goal;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                goal = await db.Goals.AsNoTracking().FirstOrDefaultAsync(g => g.Id == goalId, ct);
            }
            if (goal is null || goal.Status != GoalStatus.Active)
            {
                return;
            }
            var version = goal.Version;
            var spec = new GoalSpec(goal);
            _progress[goalId] = 0;
            await using var reporting = ReportProgress(goalId, ct);
            var started = System.Diagnostics.Stopwatch.StartNew();
            int total;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                total = Math.Max(1, await db.Profiles.CountAsync(ct));
            }
            // Reading dominates: progress is mostly the read's.
            var shares = await events.ReadAllHistoriesAsync([goalId], EventNeeds.For([spec]), Parallelism, read => _progress[goalId] = 0.8 * read, ct);
            var read = started.ElapsedMilliseconds;
            var done = 0;
            var failures = new System.Collections.Concurrent.ConcurrentBag<(long, string)>();
            var evaluatedShares = await Task.WhenAll(shares.Select(share => Task.Run(() =>
            {
                var own = new List<(long, EvaluationResult)>();
                foreach (var stored in share)
                {
                    if (Evaluate(spec, stored, failures) is { } result && (result.Completion is not null || result.Conversions.Count > 0))
                    {
                        own.Add((stored.History.ProfileId, result));
                    }
                    if (Interlocked.Increment(ref done) % 5000 == 0)
                    {
                        _progress[goalId] = Math.Min(0.95, 0.8 + 0.2 * done / total);
                    }
                }
                return own;
            }, ct)));
            var evaluatedResults = evaluatedShares.SelectMany(r => r).ToList();
            var evaluated = started.ElapsedMilliseconds;
            // The results and the version they reflect, in one transaction.
            await results.ReplaceGoalResultsAsync(goalId, version, evaluatedResults, ct);
            if (!failures.IsEmpty)
            {
                // Their results for this goal wait for live evaluation, which retries them.
                await queue.SetAsideAsync(failures.ToList(), clock.GetUtcNow(), ct);
                logger.LogWarning("Backfill of goal {Goal} set aside {Count} profiles whose history could not be evaluated", goal.Name, failures.Count);
            }
            logger.LogInformation("Evaluated goal {Goal} over {Profiles} profiles in {Elapsed} ms (reading {Read} ms, evaluating {Evaluating} ms, {Results} results written in {Written} ms)",
                goal.Name, done, started.ElapsedMilliseconds, read, evaluated - read, evaluatedResults.Count, started.ElapsedMilliseconds - evaluated);
        }
        finally
        {
            _progress.TryRemove(goalId, out _);
            _lock.Release();
        }
    }

    /// <summary>Writes the goal's progress for the other instances until disposed, then removes it.</summary>
    private IAsyncDisposable ReportProgress(Guid goalId, CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await WriteProgressAsync(goalId, _progress.GetValueOrDefault(goalId), CancellationToken.None);
                await Task.Delay(ReportEvery, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }, CancellationToken.None);
        return new Reporting(async () =>
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.BackfillProgress.Where(p => p.GoalId == goalId).ExecuteDeleteAsync(CancellationToken.None);
        }, logger);
    }

    private async Task WriteProgressAsync(Guid goalId, double progress, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var updated = await db.BackfillProgress.Where(p => p.GoalId == goalId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Progress, progress).SetProperty(p => p.Instance, instance.Id).SetProperty(p => p.UpdatedAt, now), ct);
            if (updated == 0)
            {
                db.BackfillProgress.Add(new BackfillProgress { GoalId = goalId, Instance = instance.Id, Progress = progress, UpdatedAt = now });
                await db.SaveChangesAsync(ct);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            // Progress is only shown: a report that fails (a row another instance left, say) is simply the next one's.
            logger.LogDebug(ex, "Could not report the progress of goal {Goal}", goalId);
        }
    }

    private sealed class Reporting(Func<Task> stop, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await stop();
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogDebug(ex, "Could not remove a backfill's progress; it is replaced by the next backfill of the goal");
            }
        }
    }

    /// <summary>
    /// The completions a draft would have had in [startMs, endMs) (each profile's first, as for a saved goal), without
    /// saving anything: the wizard's live preview. A draft is no stored goal, so its history is evaluated here; its
    /// figures are then computed like any goal's (AnalyticsService.PreviewAsync).
    /// </summary>
    public async Task<List<CompletionFact>> PreviewCompletionsAsync(GoalDraft normalized, long startMs, long endMs, CancellationToken ct = default)
    {
        var spec = new GoalSpec(Guid.Empty, normalized.Type, normalized.Groups, normalized.Window, normalized.Sites, normalized.Currency, normalized.DefaultValue);
        if (spec.Groups.Count == 0)
        {
            return [];
        }
        var shares = await ScanAllAsync(HasFilters(spec), () => new List<CompletionFact>(), (found, stored) =>
        {
            if (stored.Unreadable is not null)
            {
                return; // set aside by live evaluation; a preview is an estimate
            }
            if (GoalEvaluator.Evaluate(spec, stored.History).Completion is { } completion
                && completion.CompletedAt.ToUnixTimeMilliseconds() is var at && at >= startMs && at < endMs)
            {
                found.Add(new CompletionFact(stored.History.ProfileId, at, null, null, null, null));
            }
        }, ct);
        return shares.SelectMany(s => s).ToList();
    }

    /// <summary>
    /// Visits every profile's history, the ids split into one range per core, each range read on its
    /// own connection and evaluated on the thread that reads it (reading dominates, and SQLite's WAL
    /// lets readers run side by side). Each range has its own state, so <paramref name="visit"/> needs no lock.
    /// </summary>
    private async Task<TState[]> ScanAllAsync<TState>(bool withProperties, Func<TState> start, Action<TState, StoredHistory> visit, CancellationToken ct)
    {
        var ranges = ProfileRange.Split(await events.MaxProfileIdAsync(ct), Parallelism);
        return await Task.WhenAll(ranges.Select(range => Task.Run(async () =>
        {
            var state = start();
            await foreach (var stored in events.ReadHistoriesAsync(range, withProperties, ct))
            {
                visit(state, stored);
            }
            return state;
        }, ct)));
    }

    /// <summary>One profile's result, or null (recorded in <paramref name="failures"/>) when its history is unreadable or its evaluation throws.</summary>
    private EvaluationResult? Evaluate(GoalSpec spec, StoredHistory stored, System.Collections.Concurrent.ConcurrentBag<(long, string)> failures)
    {
        if (stored.Unreadable is { } unreadable)
        {
            failures.Add((stored.History.ProfileId, unreadable));
            return null;
        }
        try
        {
            return GoalEvaluator.Evaluate(spec, stored.History, stored.Recorded.GetValueOrDefault(spec.Id));
        }
        catch (Exception ex)
        {
            failures.Add((stored.History.ProfileId, $"{ex.GetType().Name}: {ex.Message}"));
            return null;
        }
    }

    private static int Parallelism => Math.Clamp(Environment.ProcessorCount, 1, 4);

    private async Task<List<GoalSpec>> ActiveGoalsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goals = await db.Goals.AsNoTracking().Where(g => g.Status == GoalStatus.Active).ToListAsync(ct);
        return goals.Select(g => new GoalSpec(g)).ToList();
    }

    private static bool HasFilters(GoalSpec goal) => goal.Groups.Any(g => g.Conditions.Any(c => c.Filters.Count > 0));
}

using GoalsDashboard.Data;
using GoalsDashboard.Data.Cluster;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>
/// Runs backfills without blocking the UI or ingestion. Every instance looks for goals whose evaluation is behind;
/// a goal's backfill runs under a lease on it, so it runs once, and when its instance dies the lease goes with it
/// and another instance runs it (docs/decisions/ADR-005-several-instances.md).
/// </summary>
public sealed class BackfillWorker(BackfillQueue queue, EvaluationService evaluation, IClusterLocks locks, IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock, ILogger<BackfillWorker> logger) : BackgroundService
{
    public static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);

    /// <summary>A backfill that failed is tried again after this, not at every look.</summary>
    public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromMinutes(1);

    private readonly Dictionary<Guid, DateTimeOffset> _failed = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await evaluation.RefreshProgressAsync(stoppingToken);
                foreach (var goalId in await BehindAsync(stoppingToken))
                {
                    if (_failed.TryGetValue(goalId, out var failedAt) && clock.GetUtcNow() - failedAt < RetryFailedAfter)
                    {
                        continue;
                    }
                    await using var lease = await locks.TryLeaseAsync($"backfill:{goalId}", stoppingToken);
                    if (lease is not null && (await BehindAsync(stoppingToken)).Contains(goalId))
                    {
                        await RunAsync(goalId, stoppingToken);
                    }
                }
                await queue.WaitAsync(LookEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Looking for goals to backfill failed; trying again");
                await Task.Delay(LookEvery, stoppingToken);
            }
        }
    }

    private async Task RunAsync(Guid goalId, CancellationToken ct)
    {
        try
        {
            await evaluation.BackfillAsync(goalId, ct);
            _failed.Remove(goalId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed[goalId] = clock.GetUtcNow();
            logger.LogError(ex, "Backfill of goal {Goal} failed; it stays marked as evaluating and is tried again in {Retry}", goalId, RetryFailedAfter);
        }
    }

    /// <summary>Active goals whose stored results are of an older version than the goal, oldest first.</summary>
    private async Task<List<Guid>> BehindAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Goals.AsNoTracking()
            .Where(g => g.Status == GoalStatus.Active && g.EvaluatedVersion < g.Version)
            .OrderBy(g => g.CreatedAt).Select(g => g.Id).ToListAsync(ct);
    }
}

using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>Runs backfills without blocking the UI or ingestion; on start, picks up goals whose evaluation is behind.</summary>
public sealed class BackfillWorker(BackfillQueue queue, EvaluationService evaluation, IDbContextFactory<AppDbContext> dbFactory, ILogger<BackfillWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            var behind = await db.Goals.AsNoTracking()
                .Where(g => g.Status == GoalStatus.Active && g.EvaluatedVersion < g.Version)
                .OrderBy(g => g.CreatedAt).Select(g => g.Id).ToListAsync(stoppingToken);
            behind.ForEach(queue.Enqueue);
        }
        await foreach (var goalId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await evaluation.BackfillAsync(goalId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Backfill of goal {Goal} failed; it stays marked as evaluating and is retried at the next start", goalId);
            }
        }
    }
}

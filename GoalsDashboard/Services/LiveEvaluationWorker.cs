using GoalsDashboard.Data;

namespace GoalsDashboard.Services;

/// <summary>Wakes the live evaluation worker when new data is stored.</summary>
public sealed class LiveEvaluationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Evaluates the profiles marked pending, a few thousand at a time. Marks live in the database, so
/// whatever was stored before a crash is evaluated after the restart. One profile whose evaluation fails
/// (a stored row that cannot be read, say) never holds up the others: a failed batch is split in halves
/// until the failing profiles are alone, and those are set aside with their error and retried later
/// (docs/evaluation.md, "Failures").
/// </summary>
public sealed class LiveEvaluationWorker(
    IEvaluationQueue queue,
    EvaluationService evaluation,
    LiveEvaluationSignal signal,
    TimeProvider clock,
    ILogger<LiveEvaluationWorker> logger) : BackgroundService
{
    public const int BatchSize = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await queue.DueAsync(BatchSize, clock.GetUtcNow(), stoppingToken);
                if (due.Count == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                    continue;
                }
                await EvaluateAsync(due, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed: everything stays pending.
                logger.LogError(ex, "Live evaluation failed; the profiles stay pending and are retried");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>Evaluates the marks; the ones that fail on their own are set aside. Throws only when the database cannot be used at all.</summary>
    internal async Task EvaluateAsync(IReadOnlyList<PendingMark> marks, CancellationToken ct)
    {
        var failures = new List<(long, string)>();
        var databaseChecked = false;
        await EvaluateOrSplitAsync(marks, failures, () => databaseChecked, () => databaseChecked = true, ct);
        if (failures.Count > 0)
        {
            await queue.SetAsideAsync(failures, clock.GetUtcNow(), ct);
            logger.LogWarning("Set aside {Count} profiles whose evaluation failed (first: profile {Profile}: {Error}); they are retried later and listed in Settings",
                failures.Count, failures[0].Item1, failures[0].Item2);
        }
    }

    private async Task EvaluateOrSplitAsync(IReadOnlyList<PendingMark> marks, List<(long, string)> failures,
        Func<bool> databaseChecked, Action checkedDatabase, CancellationToken ct)
    {
        IReadOnlyList<(long ProfileId, string Error)> unreadable;
        try
        {
            unreadable = await evaluation.EvaluateProfilesAsync(marks.Select(m => m.ProfileId).ToList(), claimedOnly: true, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (!databaseChecked())
            {
                // A failure may be the database's rather than the data's: then nothing is set aside, the
                // probe throws and every mark stays pending for the next round.
                logger.LogWarning(ex, "Evaluating {Count} profiles failed; looking for the profiles that fail", marks.Count);
                await queue.DueAsync(1, clock.GetUtcNow(), ct);
                checkedDatabase();
            }
            if (marks.Count == 1)
            {
                failures.Add((marks[0].ProfileId, Describe(ex)));
                return;
            }
            var half = marks.Count / 2;
            await EvaluateOrSplitAsync(marks.Take(half).ToList(), failures, databaseChecked, checkedDatabase, ct);
            await EvaluateOrSplitAsync(marks.Skip(half).ToList(), failures, databaseChecked, checkedDatabase, ct);
            return;
        }
        failures.AddRange(unreadable);
        var failed = unreadable.Select(u => u.ProfileId).ToHashSet();
        await queue.ClearAsync(failed.Count == 0 ? marks : marks.Where(m => !failed.Contains(m.ProfileId)).ToList(), ct);
    }

    private static string Describe(Exception ex)
    {
        var message = $"{ex.GetType().Name}: {ex.Message}";
        return message.Length > 1000 ? message[..1000] : message;
    }
}

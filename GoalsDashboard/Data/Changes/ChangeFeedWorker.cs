namespace GoalsDashboard.Data.Changes;

/// <summary>
/// Picks up changes this process did not write itself (another instance's, say): at once when the store wakes the
/// feed (PostgreSQL's notifications), else within a second; and prunes the change log. A writer of this process applies its own changes before it answers, without waiting for this.
/// </summary>
public sealed class ChangeFeedWorker(ChangeFeed feed, ILogger<ChangeFeedWorker> logger) : BackgroundService
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await feed.WaitAsync(PollEvery, stoppingToken);
                await feed.CatchUpAsync(ct: stoppingToken);
                if (DateTimeOffset.UtcNow - lastPrune > TimeSpan.FromMinutes(10))
                {
                    await feed.PruneAsync(KeepFor, stoppingToken);
                    lastPrune = DateTimeOffset.UtcNow;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Following the change log failed; trying again");
            }
        }
    }
}

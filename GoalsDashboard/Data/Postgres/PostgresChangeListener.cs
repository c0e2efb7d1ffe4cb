using GoalsDashboard.Data.Changes;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// Listens for the notification every commit of a change sends (a trigger on <c>changes</c>) and wakes the feed,
/// so another instance's writes reach this one's pages in milliseconds. Notifications are only a wake-up: the feed
/// polls as well, and catches up after a reconnect, so one that is missed only delays.
/// </summary>
internal sealed class PostgresChangeListener(NpgsqlDataSource dataSource, ChangeFeed feed, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public const string Channel = "goals_changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => feed.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                feed.Wake(); // whatever was missed while not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Listening for changes failed; the feed polls meanwhile, listening again shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}

using GoalsDashboard.Data.Changes;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// Sends <c>NOTIFY goals_changes</c> after this instance committed changes, in a statement of its own. Not from inside
/// the writing transactions: PostgreSQL serialises the commits of transactions that notify (a global lock held
/// through the commit), which would put every ingestion batch's commit in one line. Calls that arrive while one is being sent share the next, so
/// a burst of commits costs one or two notifications. If the instance dies before sending, the others read the log
/// at their next poll (a second).
/// </summary>
internal sealed class PostgresChangeNotifier(NpgsqlDataSource dataSource, ILogger<PostgresChangeNotifier> logger) : BackgroundService, IChangeNotifier
{
    private readonly SemaphoreSlim _wanted = new(0, 1);

    public void Notify()
    {
        if (_wanted.CurrentCount == 0)
        {
            try
            {
                _wanted.Release();
            }
            catch (SemaphoreFullException)
            {
                // One is wanted already.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wanted.WaitAsync(stoppingToken);
                await using var command = dataSource.CreateCommand($"NOTIFY {PostgresChangeListener.Channel}");
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The others poll: a lost notification only delays them.
                logger.LogDebug(ex, "Could not notify the other instances");
            }
        }
    }
}

using Microsoft.Data.Sqlite;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>
/// Keeps the write-ahead log short (docs/decisions/ADR-001-storage.md). After a commit SQLite copies the log into the database only
/// up to the oldest open reader's snapshot, and starts the log again from its beginning only once all of it has been
/// copied while no reader is on it. Under steady ingestion there is always a reader (live evaluation, a page) and a
/// writer appending, so that moment never comes: over a million ingested events the log grew to 5 GB, and every
/// read and write paid for it (longer frame lookups, a growing index of the log in shared memory, new file blocks
/// to allocate). Twice a second this copies what it can; once the log is long, it holds new writers back for at most
/// <see cref="ReaderWaitMilliseconds"/> while readers move off the log, so that the next writer starts it again.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>About 16 MB of 4 KB pages: a few seconds of ingestion.</summary>
    public const int RestartAtPages = 4096;

    public const int ReaderWaitMilliseconds = 250;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (SqliteDatabaseFile.PathOf(connectionString) is null)
        {
            return; // in memory: no log to keep short
        }
        // Never creates the file: if it is gone, the stores report that (SqliteDatabaseFile), not an empty new one.
        var csb = new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        var failures = 0;
        try
        {
            while (true)
            {
                await Task.Delay(Interval, stoppingToken);
                try
                {
                    // A connection of its own for each round, not one held open: an open connection would keep the log
                    // in use, and with it writes succeeding into a database file made read-only (they must fail, 503).
                    await using var connection = new SqliteConnection(csb.ToString());
                    await connection.OpenAsync(stoppingToken);
                    await ExecuteAsync(connection, $"PRAGMA busy_timeout = {ReaderWaitMilliseconds};", stoppingToken);
                    var pages = await CheckpointAsync(connection, "PASSIVE", stoppingToken);
                    if (pages >= RestartAtPages)
                    {
                        await CheckpointAsync(connection, "RESTART", stoppingToken);
                    }
                    failures = 0;
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    // Not fatal: the log only grows until the next try. Said once per run of failures.
                    if (failures++ == 0)
                    {
                        logger.LogWarning(ex, "Checkpointing the SQLite write-ahead log failed; trying again shortly");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Runs one checkpoint; the pages the log held (SQLite answers busy, log pages, pages copied).</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        command.CommandTimeout = 1; // SQLite's own wait (busy_timeout) is the one that counts
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(1) : 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>The evaluation queue in the <c>pending_evaluations</c> table of the SQLite file.</summary>
internal sealed class SqliteEvaluationQueue(IDbContextFactory<AppDbContext> dbFactory, SqliteWriteGate gate) : IEvaluationQueue
{
    /// <summary>A new mark, or a newer version of one; a set-aside profile keeps its retry time, so new data does not make a failing profile hot.</summary>
    public static Task MarkAsync(SqliteConnection connection, SqliteTransaction tx, IReadOnlyCollection<long> profileIds, CancellationToken ct) =>
        SqliteBulk.InsertAsync(connection, tx, profileIds.ToList(),
            "INSERT INTO pending_evaluations (ProfileId, Version, Attempts) VALUES ($0, 1, 0) ON CONFLICT (ProfileId) DO UPDATE SET Version = Version + 1",
            id => [id], ct);

    public Task MarkAsync(IReadOnlyCollection<long> profileIds, CancellationToken ct = default) =>
        InTransactionAsync((connection, tx) => MarkAsync(connection, tx, profileIds, ct), ct);

    public async Task<IReadOnlyList<PendingMark>> DueAsync(int max, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ProfileId, Version FROM pending_evaluations WHERE RetryAt IS NULL OR RetryAt <= $now LIMIT $max";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$max", max);
        var result = new List<PendingMark>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new PendingMark(reader.GetInt64(0), reader.GetInt64(1)));
        }
        return result;
    }

    /// <summary>A mark renewed meanwhile stays, but the evaluation succeeded: it is no longer set aside.</summary>
    public Task ClearAsync(IReadOnlyList<PendingMark> marks, CancellationToken ct = default) =>
        InTransactionAsync((connection, tx) => SqliteBulk.InsertAsync(connection, tx, marks,
            "DELETE FROM pending_evaluations WHERE ProfileId = $0 AND Version = $1; " +
            "UPDATE pending_evaluations SET Attempts = 0, RetryAt = NULL, Error = NULL WHERE ProfileId = $0 AND Attempts > 0;",
            m => [m.ProfileId, m.Version], ct), ct);

    public Task SetAsideAsync(IReadOnlyList<(long ProfileId, string Error)> failures, DateTimeOffset now, CancellationToken ct = default)
    {
        var (first, longest) = ((long)IEvaluationQueue.FirstRetry.TotalMilliseconds, (long)IEvaluationQueue.LongestRetry.TotalMilliseconds);
        // The delay doubles with each failure: FirstRetry × 2^(attempts before this one), at most LongestRetry.
        return InTransactionAsync((connection, tx) => SqliteBulk.InsertAsync(connection, tx, failures,
            "INSERT INTO pending_evaluations (ProfileId, Version, Attempts, RetryAt, Error) VALUES ($0, 1, 1, $2 + $3, $1) " +
            "ON CONFLICT (ProfileId) DO UPDATE SET Attempts = Attempts + 1, Error = excluded.Error, " +
            "RetryAt = $2 + MIN($4, $3 * (1 << MIN(Attempts, 20)))",
            f => [f.ProfileId, f.Error, now.ToUnixTimeMilliseconds(), first, longest], ct), ct);
    }

    public async Task RetryNowAsync(long? profileId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var marks = db.PendingEvaluations.Where(p => p.RetryAt != null);
        if (profileId is { } id)
        {
            marks = marks.Where(p => p.ProfileId == id);
        }
        await marks.ExecuteUpdateAsync(s => s.SetProperty(p => p.RetryAt, (long?)null), ct);
    }

    private async Task InTransactionAsync(Func<SqliteConnection, SqliteTransaction, Task> write, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        await write(connection, tx);
        await transaction.CommitAsync(ct);
    }
}

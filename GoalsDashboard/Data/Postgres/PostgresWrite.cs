using GoalsDashboard.Data.Changes;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>How the PostgreSQL stores write: a transaction of their own, taken again from the start when PostgreSQL gives it up.</summary>
internal static class PostgresWrite
{
    private const int Attempts = 5;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it. Writers lock shared rows in key order, but
    /// PostgreSQL may still end one of two transactions to break a lock cycle (or a serialization conflict):
    /// that one is rolled back whole, so it is simply run again, after a short random pause.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(IDbContextFactory<AppDbContext> dbFactory, Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var connection = await OpenAsync(db, ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await work(connection);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < Attempts)
            {
                await Task.Delay(Random.Shared.Next(10, 50) * attempt, ct);
            }
        }
    }

    /// <summary>A write that records a change: the feed applies it once committed, before the writer answers.</summary>
    public static async Task<T> WithChangeAsync<T>(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, Func<NpgsqlConnection, Task<(T Result, Change? Change)>> work,
        CancellationToken ct)
    {
        var (result, change) = await InTransactionAsync(dbFactory, work, ct);
        if (change is not null)
        {
            feed.Committed(change);
            await feed.CatchUpAsync(change.Seq, ct);
        }
        return result;
    }

    public static async Task<NpgsqlConnection> OpenAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return (NpgsqlConnection)db.Database.GetDbConnection();
    }
}

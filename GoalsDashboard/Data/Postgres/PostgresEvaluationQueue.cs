using GoalsDashboard.Data.Cluster;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// The evaluation queue in PostgreSQL's <c>pending_evaluations</c>, shared by every instance: a due profile is
/// claimed by one instance for <see cref="ClaimFor"/> (rows another instance is claiming are skipped, not waited for),
/// and a claim whose holder died runs out and is taken over (docs/decisions/ADR-005-several-instances.md).
/// </summary>
internal sealed class PostgresEvaluationQueue(IDbContextFactory<AppDbContext> dbFactory, AppInstance instance, IConfiguration configuration) : IEvaluationQueue
{
    /// <summary>How long a claim holds: longer than a batch takes; after it, another instance evaluates the profile.</summary>
    public TimeSpan ClaimFor { get; } = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Evaluation:ClaimSeconds", 30)));

    /// <summary>A new mark, or a newer version of one, in the connection's open transaction.</summary>
    public static async Task MarkAsync(NpgsqlConnection connection, IReadOnlyCollection<long> profileIds, CancellationToken ct)
    {
        if (profileIds.Count == 0)
        {
            return;
        }
        // In id order: two writers marking the same profiles take their row locks in the same order, never in a cycle.
        await using var command = new NpgsqlCommand("""
            INSERT INTO pending_evaluations ("ProfileId", "Version", "Attempts") SELECT id, 1, 0 FROM unnest(@ids) AS x(id) ORDER BY id
            ON CONFLICT ("ProfileId") DO UPDATE SET "Version" = pending_evaluations."Version" + 1
            """, connection);
        command.Parameters.AddWithValue("ids", profileIds.Distinct().Order().ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task MarkAsync(IReadOnlyCollection<long> profileIds, CancellationToken ct = default) =>
        InTransactionAsync(connection => MarkAsync(connection, profileIds, ct), ct);

    /// <summary>Claims up to <paramref name="max"/> due marks for this instance: unclaimed ones, its own, and ones whose claim ran out.</summary>
    public async Task<IReadOnlyList<PendingMark>> DueAsync(int max, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        await using var command = new NpgsqlCommand($$"""
            WITH due AS (
                SELECT "ProfileId" FROM pending_evaluations
                WHERE ("RetryAt" IS NULL OR "RetryAt" <= @now)
                  AND ("{{PostgresDbContext.ClaimedUntil}}" IS NULL OR "{{PostgresDbContext.ClaimedUntil}}" <= @now OR "{{PostgresDbContext.ClaimedBy}}" = @me)
                ORDER BY "ProfileId" LIMIT @max FOR UPDATE SKIP LOCKED)
            UPDATE pending_evaluations p SET "{{PostgresDbContext.ClaimedBy}}" = @me, "{{PostgresDbContext.ClaimedUntil}}" = @until
            FROM due WHERE p."ProfileId" = due."ProfileId"
            RETURNING p."ProfileId", p."Version"
            """, connection);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("until", (now + ClaimFor).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("me", instance.Id);
        command.Parameters.AddWithValue("max", max);
        var result = new List<PendingMark>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new PendingMark(reader.GetInt64(0), reader.GetInt64(1)));
        }
        return result;
    }

    /// <summary>
    /// A mark renewed meanwhile stays (given back, to be claimed again), but the evaluation succeeded: it is no longer
    /// set aside. A mark another instance has claimed since is left to it.
    /// </summary>
    public Task ClearAsync(IReadOnlyList<PendingMark> marks, CancellationToken ct = default) => marks.Count == 0 ? Task.CompletedTask : InTransactionAsync(async connection =>
    {
        // Rows locked in id order first, as MarkAsync takes them.
        await using var command = new NpgsqlCommand($$"""
            SELECT 1 FROM pending_evaluations WHERE "ProfileId" = ANY(@ids) ORDER BY "ProfileId" FOR UPDATE;
            WITH marks AS (SELECT * FROM unnest(@ids, @versions) AS x(id, version)),
                 mine AS (SELECT p."ProfileId", p."Version" = m.version AS current FROM pending_evaluations p JOIN marks m ON p."ProfileId" = m.id
                          WHERE p."{{PostgresDbContext.ClaimedBy}}" IS NULL OR p."{{PostgresDbContext.ClaimedBy}}" = @me),
                 cleared AS (DELETE FROM pending_evaluations p USING mine WHERE p."ProfileId" = mine."ProfileId" AND mine.current RETURNING p."ProfileId")
            UPDATE pending_evaluations p SET "Attempts" = 0, "RetryAt" = NULL, "Error" = NULL,
                "{{PostgresDbContext.ClaimedBy}}" = NULL, "{{PostgresDbContext.ClaimedUntil}}" = NULL
            FROM mine WHERE p."ProfileId" = mine."ProfileId" AND NOT mine.current
            """, connection);
        command.Parameters.AddWithValue("ids", marks.Select(m => m.ProfileId).ToArray());
        command.Parameters.AddWithValue("versions", marks.Select(m => m.Version).ToArray());
        command.Parameters.AddWithValue("me", instance.Id);
        await command.ExecuteNonQueryAsync(ct);
    }, ct);

    public Task SetAsideAsync(IReadOnlyList<(long ProfileId, string Error)> failures, DateTimeOffset now, CancellationToken ct = default) =>
        failures.Count == 0 ? Task.CompletedTask : InTransactionAsync(async connection =>
        {
            // The delay doubles with each failure: FirstRetry × 2^(attempts before this one), at most LongestRetry.
            await using var command = new NpgsqlCommand("""
                INSERT INTO pending_evaluations ("ProfileId", "Version", "Attempts", "RetryAt", "Error")
                SELECT id, 1, 1, @now + @first, error FROM unnest(@ids, @errors) AS x(id, error) ORDER BY id
                ON CONFLICT ("ProfileId") DO UPDATE SET "Attempts" = pending_evaluations."Attempts" + 1, "Error" = excluded."Error",
                    "ClaimedBy" = NULL, "ClaimedUntil" = NULL,
                    "RetryAt" = @now + LEAST(@longest, @first * (1::bigint << LEAST(pending_evaluations."Attempts", 20)))
                """, connection);
            var once = failures.DistinctBy(f => f.ProfileId).ToList();
            command.Parameters.AddWithValue("ids", once.Select(f => f.ProfileId).ToArray());
            command.Parameters.AddWithValue("errors", once.Select(f => f.Error).ToArray());
            command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("first", (long)IEvaluationQueue.FirstRetry.TotalMilliseconds);
            command.Parameters.AddWithValue("longest", (long)IEvaluationQueue.LongestRetry.TotalMilliseconds);
            await command.ExecuteNonQueryAsync(ct);
        }, ct);

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

    private Task InTransactionAsync(Func<NpgsqlConnection, Task> write, CancellationToken ct) =>
        PostgresWrite.InTransactionAsync(dbFactory, async connection =>
        {
            await write(connection);
            return true;
        }, ct);

    private static Task<NpgsqlConnection> OpenAsync(AppDbContext db, CancellationToken ct) => PostgresWrite.OpenAsync(db, ct);
}

using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data.Cluster;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using static GoalsDashboard.Data.StoredResults;

namespace GoalsDashboard.Data.Postgres;

/// <summary>The PostgreSQL result store: changed pairs deleted and rewritten with binary COPY, in one transaction with their change record.</summary>
internal sealed class PostgresResultStore(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, AppInstance instance, TimeProvider clock) : IResultStore
{
    private static readonly string DerivedSources = $"\"Source\" IN ({(int)ConversionSource.Event},{(int)ConversionSource.Completion})";

    public async Task ReplaceResultsAsync(IReadOnlyCollection<Guid> goalIds, IReadOnlyCollection<long> profileIds,
        IReadOnlyList<(Guid GoalId, long ProfileId, EvaluationResult Result)> results, bool claimedOnly = false, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteResultsAsync(goalIds, profileIds, results, claimedOnly, ct);
                return;
            }
            catch (ClaimLostException) when (attempt < 5)
            {
                // Another instance took a claim over while this wrote: written again, without that profile.
            }
        }
    }

    private Task WriteResultsAsync(IReadOnlyCollection<Guid> goalIds, IReadOnlyCollection<long> profileIds,
        IReadOnlyList<(Guid GoalId, long ProfileId, EvaluationResult Result)> results, bool claimedOnly, CancellationToken ct) =>
        PostgresWrite.WithChangeAsync(dbFactory, feed, async connection =>
    {
        HashSet<long>? held = null;
        if (claimedOnly)
        {
            held = await ClaimedAsync(connection, profileIds, lockRows: false, ct);
            if (held.Count < profileIds.Count)
            {
                profileIds = held;
                results = results.Where(r => held.Contains(r.ProfileId)).ToList();
            }
        }
        var live = await LockGoalsAsync(connection, goalIds, ct);
        if (live.Count < goalIds.Count)
        {
            goalIds = live;
            results = results.Where(r => live.Contains(r.GoalId)).ToList();
        }
        var fresh = results.ToDictionary(r => (r.GoalId, r.ProfileId), r => Of(r.Result));
        var stored = await StoredAsync(connection, goalIds, profileIds, ct);
        var changed = stored.Keys.Union(fresh.Keys).Where(pair => !Same(stored.GetValueOrDefault(pair), fresh.GetValueOrDefault(pair))).ToList();
        if (changed.Count == 0)
        {
            return (true, (Change?)null);
        }
        await using (var delete = new NpgsqlCommand($"""
            DELETE FROM completions c USING unnest(@goals, @profiles) AS x(goal, profile) WHERE c."GoalId" = x.goal AND c."ProfileId" = x.profile;
            DELETE FROM conversions c USING unnest(@goals, @profiles) AS x(goal, profile) WHERE c."GoalId" = x.goal AND c."ProfileId" = x.profile AND c.{DerivedSources};
            """, connection))
        {
            delete.Parameters.AddWithValue("goals", changed.Select(p => p.GoalId).ToArray());
            delete.Parameters.AddWithValue("profiles", changed.Select(p => p.ProfileId).ToArray());
            await delete.ExecuteNonQueryAsync(ct);
        }
        await CopyAsync(connection, changed.Where(fresh.ContainsKey).Select(pair => (pair.GoalId, pair.ProfileId, fresh[pair])).ToList(), ct);
        var replaced = changed.Select(pair => Change(pair.GoalId, pair.ProfileId, fresh.GetValueOrDefault(pair) ?? Nothing)).ToList();
        var change = await PostgresChangeLog.AppendAsync(connection,
            new Change(0, ChangeKind.Results) { Results = replaced, Goals = replaced.Select(r => r.GoalId).Distinct().ToList() },
            ChangePayload.Results(replaced), clock, ct);
        // The claims are checked again and locked to the commit, so none is taken over before these results are in.
        // Only now: locked from the start, they held up ingestion's marks of the same profiles for the whole write.
        if (held is not null && (await ClaimedAsync(connection, held, lockRows: true, ct)).Count < held.Count)
        {
            throw new ClaimLostException();
        }
        return (true, (Change?)change);
    }, ct);

    private sealed class ClaimLostException : Exception;

    public Task ReplaceGoalResultsAsync(Guid goalId, int version, IReadOnlyList<(long ProfileId, EvaluationResult Result)> results, CancellationToken ct = default) =>
        PostgresWrite.WithChangeAsync(dbFactory, feed, async connection =>
    {
        if ((await LockGoalsAsync(connection, [goalId], ct)).Count == 0)
        {
            return (true, (Change?)null);
        }
        await using (var delete = new NpgsqlCommand($"""
            DELETE FROM completions WHERE "GoalId" = @goal;
            DELETE FROM conversions WHERE "GoalId" = @goal AND {DerivedSources};
            UPDATE goals SET "EvaluatedVersion" = @version WHERE "Id" = @goal AND "EvaluatedVersion" < @version;
            """, connection))
        {
            delete.Parameters.AddWithValue("goal", goalId);
            delete.Parameters.AddWithValue("version", version);
            await delete.ExecuteNonQueryAsync(ct);
        }
        await CopyAsync(connection, results.Select(r => (goalId, r.ProfileId, Of(r.Result))).ToList(), ct);
        var change = await PostgresChangeLog.AppendAsync(connection, new Change(0, ChangeKind.GoalResults) { Goals = [goalId] }, ChangePayload.Goals([goalId]), clock, ct);
        return (true, (Change?)change);
    }, ct);

    public Task RecordConversionAsync(Conversion conversion, CancellationToken ct = default) => PostgresWrite.WithChangeAsync(dbFactory, feed, async connection =>
    {
        if ((await LockGoalsAsync(connection, [conversion.GoalId], ct)).Count == 0)
        {
            throw new KeyNotFoundException($"There is no goal {conversion.GoalId}.");
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO conversions ("GoalId", "ProfileId", "Timestamp", "Source", "EventId", "Channel", "Site", "Value")
            VALUES (@goal, @profile, @at, @source, @event, @channel, @site, @value) ON CONFLICT DO NOTHING
            """, connection))
        {
            insert.Parameters.AddWithValue("goal", conversion.GoalId);
            insert.Parameters.AddWithValue("profile", conversion.ProfileId);
            insert.Parameters.AddWithValue("at", conversion.Timestamp.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("source", (short)conversion.Source);
            insert.Parameters.AddWithValue("event", NpgsqlDbType.Bigint, (object?)conversion.EventId ?? DBNull.Value);
            insert.Parameters.AddWithValue("channel", NpgsqlDbType.Text, (object?)conversion.Channel ?? DBNull.Value);
            insert.Parameters.AddWithValue("site", NpgsqlDbType.Text, (object?)conversion.Site ?? DBNull.Value);
            insert.Parameters.AddWithValue("value", NpgsqlDbType.Numeric, (object?)conversion.Value ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }
        await PostgresEvaluationQueue.MarkAsync(connection, [conversion.ProfileId], ct);
        var change = await PostgresChangeLog.AppendAsync(connection, new Change(0, ChangeKind.GoalResults) { Goals = [conversion.GoalId] },
            ChangePayload.Goals([conversion.GoalId]), clock, ct);
        return (true, (Change?)change);
    }, ct);

    /// <summary>
    /// Which of the goals still exist, each locked against deletion until the commit. Results have no foreign key
    /// to their goal (PostgresDbContext): this is the check it made for every row, made once per goal. A goal deleted
    /// before gets no results; one deleted after waits for this commit and then deletes them (GoalService.DeleteAsync).
    /// </summary>
    private static async Task<HashSet<Guid>> LockGoalsAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> goalIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT "Id" FROM goals WHERE "Id" = ANY(@goals) ORDER BY "Id" FOR KEY SHARE
            """, connection);
        command.Parameters.AddWithValue("goals", goalIds.ToArray());
        var live = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            live.Add(reader.GetGuid(0));
        }
        return live;
    }

    /// <summary>Which of the profiles this instance still has claimed; with <paramref name="lockRows"/>, their queue rows locked to the commit.</summary>
    private async Task<HashSet<long>> ClaimedAsync(NpgsqlConnection connection, IReadOnlyCollection<long> profileIds, bool lockRows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT "ProfileId" FROM pending_evaluations WHERE "ProfileId" = ANY(@ids) AND "{PostgresDbContext.ClaimedBy}" = @me ORDER BY "ProfileId" {(lockRows ? "FOR UPDATE" : "")}
            """, connection);
        command.Parameters.AddWithValue("ids", profileIds.ToArray());
        command.Parameters.AddWithValue("me", instance.Id);
        var held = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            held.Add(reader.GetInt64(0));
        }
        return held;
    }

    /// <summary>
    /// Writes results with binary COPY: a backfill's tens of thousands of rows in one stream per table, written
    /// synchronously on a pool thread (awaiting each of hundreds of thousands of values cost more than the copy).
    /// </summary>
    private static Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<(Guid Goal, long ProfileId, StoredResult Result)> rows, CancellationToken ct) =>
        Task.Run(() =>
        {
            using (var copy = connection.BeginBinaryImport(
                "COPY completions (\"GoalId\", \"ProfileId\", \"CompletedAt\", \"TriggerEventId\", \"Channel\", \"Site\", \"Value\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (goal, profile, result) in rows)
                {
                    if (result.Completion is { } c)
                    {
                        copy.StartRow();
                        copy.Write(goal, NpgsqlDbType.Uuid);
                        copy.Write(profile, NpgsqlDbType.Bigint);
                        copy.Write(c.At, NpgsqlDbType.Bigint);
                        copy.Write(c.Trigger, NpgsqlDbType.Bigint);
                        copy.Write(c.Channel, NpgsqlDbType.Text);
                        copy.Write(c.Site, NpgsqlDbType.Text);
                        copy.Write(c.Value is { } v ? (decimal?)Money.FromStored(v) : null, NpgsqlDbType.Numeric);
                    }
                }
                ct.ThrowIfCancellationRequested();
                copy.Complete();
            }
            using (var copy = connection.BeginBinaryImport(
                "COPY conversions (\"GoalId\", \"ProfileId\", \"Timestamp\", \"Source\", \"EventId\", \"Channel\", \"Site\", \"Value\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (goal, profile, result) in rows)
                {
                    foreach (var c in result.Conversions)
                    {
                        copy.StartRow();
                        copy.Write(goal, NpgsqlDbType.Uuid);
                        copy.Write(profile, NpgsqlDbType.Bigint);
                        copy.Write(c.At, NpgsqlDbType.Bigint);
                        copy.Write((short)c.Source, NpgsqlDbType.Smallint);
                        copy.Write(c.EventId, NpgsqlDbType.Bigint);
                        copy.Write(c.Channel, NpgsqlDbType.Text);
                        copy.Write(c.Site, NpgsqlDbType.Text);
                        copy.Write(c.Value is { } v ? (decimal?)Money.FromStored(v) : null, NpgsqlDbType.Numeric);
                    }
                }
                ct.ThrowIfCancellationRequested();
                copy.Complete();
            }
        }, ct);

    private static async Task<Dictionary<(Guid GoalId, long ProfileId), StoredResult>> StoredAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> goals,
        IReadOnlyCollection<long> profiles, CancellationToken ct)
    {
        var result = new Dictionary<(Guid, long), StoredResult>();
        StoredResult Of(Guid goal, long profile) => result.TryGetValue((goal, profile), out var r) ? r : result[(goal, profile)] = new StoredResult(null, []);
        await using (var command = new NpgsqlCommand("""
            SELECT "GoalId", "ProfileId", "CompletedAt", "TriggerEventId", "Channel", "Site", CAST("Value" AS DOUBLE PRECISION) FROM completions
            WHERE "ProfileId" = ANY(@profiles) AND "GoalId" = ANY(@goals)
            """, connection))
        {
            command.Parameters.AddWithValue("profiles", profiles.ToArray());
            command.Parameters.AddWithValue("goals", goals.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (goal, profile) = (reader.GetGuid(0), reader.GetInt64(1));
                result[(goal, profile)] = Of(goal, profile) with
                {
                    Completion = new CompletionRow(reader.GetInt64(2), reader.LongOrNull(3), reader.StringOrNull(4), reader.StringOrNull(5), reader.DoubleOrNull(6)),
                };
            }
        }
        await using (var command = new NpgsqlCommand($"""
            SELECT "GoalId", "ProfileId", "Timestamp", CAST("Source" AS INTEGER), "EventId", "Channel", "Site", CAST("Value" AS DOUBLE PRECISION) FROM conversions
            WHERE "ProfileId" = ANY(@profiles) AND "GoalId" = ANY(@goals) AND {DerivedSources}
            """, connection))
        {
            command.Parameters.AddWithValue("profiles", profiles.ToArray());
            command.Parameters.AddWithValue("goals", goals.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                Of(reader.GetGuid(0), reader.GetInt64(1)).Conversions.Add(new ConversionRow(reader.GetInt64(2), reader.GetInt32(3), reader.LongOrNull(4),
                    reader.StringOrNull(5), reader.StringOrNull(6), reader.DoubleOrNull(7)));
            }
        }
        return result;
    }
}

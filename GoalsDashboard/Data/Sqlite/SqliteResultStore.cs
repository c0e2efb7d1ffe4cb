using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using static GoalsDashboard.Data.StoredResults;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>The SQLite result store: completions and conversions, rewritten in bulk with prepared statements.</summary>
internal sealed class SqliteResultStore(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, TimeProvider clock, SqliteWriteGate gate) : IResultStore
{
    public async Task ReplaceResultsAsync(IReadOnlyCollection<Guid> goalIds, IReadOnlyCollection<long> profileIds,
        IReadOnlyList<(Guid GoalId, long ProfileId, EvaluationResult Result)> results, bool claimedOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        var fresh = results.ToDictionary(r => (Goal: SqliteValues.GoalKey(r.GoalId), r.ProfileId), r => StoredResults.Of(r.Result));
        // Live evaluation re-evaluates every goal for each touched profile, and most results do not
        // change: only the pairs whose stored rows differ are rewritten, and of those only the rows that differ
        // (a new event mostly adds one conversion to a pair's list; each row written updates several indexes).
        // Read before the write lock is taken, so that ingestion does not wait for the read: nothing else writes these
        // rows meanwhile (live evaluation and backfills take turns in EvaluationService, SQLite has one app instance,
        // and recorded conversions are not among them), except a goal's deletion, which is checked for below.
        var stored = await StoredResultsAsync(connection, goalIds.Select(SqliteValues.GoalKey).ToHashSet(StringComparer.Ordinal), profileIds, ct);
        var changed = stored.Keys.Union(fresh.Keys)
            .Where(pair => !StoredResults.Same(stored.GetValueOrDefault(pair)?.Result, fresh.GetValueOrDefault(pair)))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        var live = await LiveGoalsAsync(connection, tx, goalIds, ct);
        if (live.Count < goalIds.Count)
        {
            // A goal deleted since it was evaluated: its results went with it, none are written for it.
            changed = changed.Where(pair => live.Contains(pair.Goal)).ToList();
            if (changed.Count == 0)
            {
                return;
            }
        }
        var (completionsGone, conversionsGone, added) = RowsToWrite(changed, stored, fresh);
        await SqliteBulk.InsertAsync(connection, tx, completionsGone, "DELETE FROM completions WHERE GoalId = $0 AND ProfileId = $1", pair => [pair.Goal, pair.ProfileId], ct);
        await SqliteBulk.InsertAsync(connection, tx, conversionsGone, "DELETE FROM conversions WHERE Id = $0", id => [id], ct);
        await InsertAsync(connection, tx, added, ct);

        var goalOf = goalIds.ToDictionary(SqliteValues.GoalKey, StringComparer.Ordinal);
        var replaced = changed.Select(pair => StoredResults.Change(goalOf[pair.Goal], pair.ProfileId, fresh.GetValueOrDefault(pair) ?? StoredResults.Nothing)).ToList();
        var change = await SqliteChangeLog.AppendAsync(connection, tx,
            new Change(0, ChangeKind.Results) { Results = replaced, Goals = replaced.Select(r => r.GoalId).Distinct().ToList() },
            ChangePayload.Results(replaced), clock, ct);
        await transaction.CommitAsync(ct);
        turn.Dispose();
        await feed.PublishAsync(change, ct);
    }

    public async Task ReplaceGoalResultsAsync(Guid goalId, int version, IReadOnlyList<(long ProfileId, EvaluationResult Result)> results, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        if ((await LiveGoalsAsync(connection, tx, [goalId], ct)).Count == 0)
        {
            return; // deleted since its backfill began, with its results
        }
        var goal = SqliteValues.GoalKey(goalId);
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = $"DELETE FROM completions WHERE GoalId = $g; DELETE FROM conversions WHERE GoalId = $g AND {DerivedSources}; " +
                // Only this column, only forward: a concurrent edit (a newer Version) must not be marked evaluated.
                "UPDATE goals SET EvaluatedVersion = $v WHERE Id = $g AND EvaluatedVersion < $v;";
            delete.Parameters.AddWithValue("$g", goal);
            delete.Parameters.AddWithValue("$v", version);
            await delete.ExecuteNonQueryAsync(ct);
        }
        await InsertAsync(connection, tx, results.Select(r => (goal, r.ProfileId, StoredResults.Of(r.Result))).ToList(), ct);
        var change = await SqliteChangeLog.AppendAsync(connection, tx, new Change(0, ChangeKind.GoalResults) { Goals = [goalId] },
            ChangePayload.Goals([goalId]), clock, ct);
        await transaction.CommitAsync(ct);
        turn.Dispose();
        await feed.PublishAsync(change, ct);
    }

    public async Task RecordConversionAsync(Conversion conversion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        if ((await LiveGoalsAsync(connection, tx, [conversion.GoalId], ct)).Count == 0)
        {
            throw new KeyNotFoundException($"There is no goal {conversion.GoalId}.");
        }
        await SqliteBulk.InsertAsync(connection, tx, [conversion],
            "INSERT INTO conversions (GoalId, ProfileId, Timestamp, Source, EventId, Channel, Site, Value) VALUES ($0,$1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING",
            c => [SqliteValues.GoalKey(c.GoalId), c.ProfileId, c.Timestamp.ToUnixTimeMilliseconds(), (int)c.Source, c.EventId, c.Channel, c.Site,
                  c.Value is { } v ? (double)v : null], ct);
        await SqliteEvaluationQueue.MarkAsync(connection, tx, [conversion.ProfileId], ct);
        var change = await SqliteChangeLog.AppendAsync(connection, tx, new Change(0, ChangeKind.GoalResults) { Goals = [conversion.GoalId] },
            ChangePayload.Goals([conversion.GoalId]), clock, ct);
        await transaction.CommitAsync(ct);
        turn.Dispose();
        await feed.PublishAsync(change, ct);
    }

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction tx, IReadOnlyList<(string Goal, long ProfileId, StoredResult Result)> rows,
        CancellationToken ct)
    {
        await SqliteBulk.InsertAsync(connection, tx, rows.Where(r => r.Result.Completion is not null).ToList(),
            "INSERT INTO completions (GoalId, ProfileId, CompletedAt, TriggerEventId, Channel, Site, Value) VALUES ($0,$1,$2,$3,$4,$5,$6)",
            r => [r.Goal, r.ProfileId, r.Result.Completion!.Value.At, r.Result.Completion.Value.Trigger, r.Result.Completion.Value.Channel,
                  r.Result.Completion.Value.Site, r.Result.Completion.Value.Value], ct);
        await SqliteBulk.InsertAsync(connection, tx, rows.SelectMany(r => r.Result.Conversions.Select(c => (r.Goal, r.ProfileId, Conversion: c))).ToList(),
            "INSERT INTO conversions (GoalId, ProfileId, Timestamp, Source, EventId, Channel, Site, Value) VALUES ($0,$1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING",
            c => [c.Goal, c.ProfileId, c.Conversion.At, c.Conversion.Source, c.Conversion.EventId, c.Conversion.Channel, c.Conversion.Site, c.Conversion.Value], ct);
    }

    private static readonly string DerivedSources = $"Source IN ({(int)ConversionSource.Event},{(int)ConversionSource.Completion})";

    /// <summary>
    /// For each changed pair, only the rows that differ: the stored completion that moved or went, the stored conversions
    /// the fresh results no longer hold (by row id), and what is new (a completion that moved or came, the conversions not stored yet).
    /// </summary>
    private static (List<(string Goal, long ProfileId)> CompletionsGone, List<long> ConversionsGone, List<(string Goal, long ProfileId, StoredResult Result)> Added)
        RowsToWrite(List<(string Goal, long ProfileId)> changed, Dictionary<(string Goal, long ProfileId), StoredRows> stored,
            Dictionary<(string Goal, long ProfileId), StoredResult> fresh)
    {
        var completionsGone = new List<(string Goal, long ProfileId)>();
        var conversionsGone = new List<long>();
        var added = new List<(string Goal, long ProfileId, StoredResult Result)>();
        foreach (var pair in changed)
        {
            var before = stored.GetValueOrDefault(pair);
            var after = fresh.GetValueOrDefault(pair) ?? StoredResults.Nothing;
            var completionChanged = before?.Result.Completion != after.Completion;
            if (completionChanged && before?.Result.Completion is not null)
            {
                completionsGone.Add(pair);
            }
            var wanted = after.Conversions.CountBy(c => c).ToDictionary();
            for (var i = 0; before is not null && i < before.Result.Conversions.Count; i++)
            {
                if (wanted.GetValueOrDefault(before.Result.Conversions[i]) is > 0 and var left)
                {
                    wanted[before.Result.Conversions[i]] = left - 1;
                }
                else
                {
                    conversionsGone.Add(before.ConversionIds[i]);
                }
            }
            added.Add((pair.Goal, pair.ProfileId, new StoredResult(completionChanged ? after.Completion : null, wanted.SelectMany(w => Enumerable.Repeat(w.Key, w.Value)).ToList())));
        }
        return (completionsGone, conversionsGone, added);
    }

    private static async Task<HashSet<string>> LiveGoalsAsync(SqliteConnection connection, SqliteTransaction tx, IReadOnlyCollection<Guid> goalIds, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT Id FROM goals WHERE Id IN ({string.Join(',', goalIds.Select(g => $"'{SqliteValues.GoalKey(g)}'"))})";
        var live = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            live.Add(reader.GetString(0));
        }
        return live;
    }

    /// <summary>A pair's stored results, with each conversion's row id (same order) so that one row can be deleted alone.</summary>
    private sealed record StoredRows(StoredResult Result, List<long> ConversionIds);

    private static async Task<Dictionary<(string Goal, long ProfileId), StoredRows>> StoredResultsAsync(SqliteConnection connection,
        HashSet<string> goals, IReadOnlyCollection<long> profileIds, CancellationToken ct)
    {
        var result = new Dictionary<(string, long), StoredRows>();
        StoredRows Of(string goal, long profile) =>
            result.TryGetValue((goal, profile), out var r) ? r : result[(goal, profile)] = new StoredRows(new StoredResult(null, []), []);
        var ids = string.Join(',', profileIds);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT GoalId, ProfileId, CompletedAt, TriggerEventId, Channel, Site, Value FROM completions WHERE ProfileId IN ({ids})";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var goal = reader.GetString(0);
                if (goals.Contains(goal))
                {
                    var profile = reader.GetInt64(1);
                    var rows = Of(goal, profile);
                    result[(goal, profile)] = rows with
                    {
                        Result = rows.Result with
                        {
                            Completion = new CompletionRow(reader.GetInt64(2), reader.LongOrNull(3), reader.StringOrNull(4), reader.StringOrNull(5), reader.DoubleOrNull(6)),
                        },
                    };
                }
            }
        }
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT GoalId, ProfileId, Timestamp, Source, EventId, Channel, Site, Value, Id FROM conversions WHERE ProfileId IN ({ids}) AND {DerivedSources}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var goal = reader.GetString(0);
                if (goals.Contains(goal))
                {
                    var rows = Of(goal, reader.GetInt64(1));
                    rows.Result.Conversions.Add(new ConversionRow(reader.GetInt64(2), reader.GetInt32(3), reader.LongOrNull(4),
                        reader.StringOrNull(5), reader.StringOrNull(6), reader.DoubleOrNull(7)));
                    rows.ConversionIds.Add(reader.GetInt64(8));
                }
            }
        }
        return result;
    }
}

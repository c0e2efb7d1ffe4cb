using System.Runtime.CompilerServices;
using System.Text.Json;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace GoalsDashboard.Data.Sqlite;

internal sealed partial class SqliteIngestionStore(IDbContextFactory<AppDbContext> dbFactory, IEnumerable<IActivitySink> activitySinks, IResultSink resultSink)
    : IIngestionStore
{
    private readonly IActivitySink[] _activitySinks = activitySinks.ToArray();

    private void Stored(List<ActivityFact> facts)
    {
        foreach (var sink in _activitySinks)
        {
            sink.Stored(facts);
        }
    }

    public async Task BulkLoadAsync(BulkLoad load, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();

        await SqliteBulk.InsertAsync(connection, tx, load.Profiles,
            "INSERT INTO profiles (Id, ExternalId, FirstSeenAt, FirstChannel, FirstSite, CreatedAt) VALUES ($0,$1,$2,$3,$4,$5)",
            p => [p.Id, p.ExternalId, Millis(p.FirstSeenAt), p.FirstChannel, p.FirstSite, Millis(p.CreatedAt)], ct);

        await SqliteBulk.InsertAsync(connection, tx, load.Events,
            "INSERT INTO events (ProfileId, EventId, Name, Timestamp, ReceivedAt, Site, Path, Channel, Campaign, PropertiesJson, RevenueAmount, RevenueCurrency) " +
            "VALUES ($0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
            e => [e.ProfileId, e.EventId, e.Name, Millis(e.Timestamp), Millis(e.ReceivedAt), e.Site, e.Path, e.Channel, e.Campaign,
                  e.PropertiesJson, e.RevenueAmount is { } a ? (double)a : null, e.RevenueCurrency], ct);

        await SqliteBulk.InsertAsync(connection, tx, load.PropertyChanges,
            "INSERT INTO property_changes (ProfileId, Key, Kind, Value, Timestamp) VALUES ($0,$1,$2,$3,$4)",
            c => [c.ProfileId, c.Key, (int)c.Kind, c.Value, Millis(c.Timestamp)], ct);

        await SqliteBulk.InsertAsync(connection, tx, load.CurrentProperties,
            "INSERT INTO profile_properties (ProfileId, Key, Kind, Value, SetAt) VALUES ($0,$1,$2,$3,$4) " +
            "ON CONFLICT (ProfileId, Key) DO UPDATE SET Kind = excluded.Kind, Value = excluded.Value, SetAt = excluded.SetAt WHERE excluded.SetAt >= profile_properties.SetAt",
            p => [p.ProfileId, p.Key, (int)p.Kind, p.Value, Millis(p.SetAt)], ct);

        await transaction.CommitAsync(ct);
        Stored(load.Events.Select(e => new ActivityFact(e.ProfileId, e.Timestamp.ToUnixTimeMilliseconds(), e.Site, e.Channel)).ToList());
    }

    private static long? Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(IReadOnlyCollection<long>? profileIds, bool withEventProperties, CancellationToken ct = default) =>
        ReadHistoriesWhereAsync(profileIds is null ? null : $"ProfileId IN ({string.Join(',', profileIds)})", withEventProperties, ct);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(ProfileRange range, bool withEventProperties, CancellationToken ct = default) =>
        ReadHistoriesWhereAsync($"ProfileId >= {range.From} AND ProfileId < {range.To}", withEventProperties, ct);

    public async Task<long> MaxProfileIdAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Profiles.MaxAsync(p => (long?)p.Id, ct) ?? 0;
    }

    /// <param name="where">A condition on ProfileId (ids are numbers, never user text), or null for every profile.</param>
    private async IAsyncEnumerable<StoredHistory> ReadHistoriesWhereAsync(string? where, bool withEventProperties,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        // Property changes and recorded conversions are few: read them whole, then stream the events.
        var filter = where is null ? "" : $" WHERE {where}";
        var changes = await ReadChangesAsync(connection, where, ct);
        var recorded = await ReadRecordedAsync(connection, where, ct);

        var seen = new HashSet<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT ProfileId, Id, Name, Timestamp, Site, Path, Channel, RevenueAmount, RevenueCurrency"
                + (withEventProperties ? ", PropertiesJson" : "") + $" FROM events{filter} ORDER BY ProfileId, Timestamp, Id";
            await using var reader = await command.ExecuteReaderAsync(ct);
            var current = -1L;
            var events = new List<EventFact>();
            string? unreadable = null;
            while (await reader.ReadAsync(ct))
            {
                var profileId = reader.GetInt64(0);
                if (profileId != current && events.Count > 0)
                {
                    seen.Add(current);
                    yield return Assemble(current, events, changes, recorded, unreadable);
                    (events, unreadable) = ([], null);
                }
                current = profileId;
                events.Add(new EventFact(
                    reader.GetInt64(1), reader.GetString(2), FromMillis(reader.GetInt64(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    withEventProperties && !reader.IsDBNull(9) ? EventProperties.TryParse(reader.GetString(9), ref unreadable) : null,
                    reader.IsDBNull(7) ? null : Money.FromStored(reader.GetDouble(7)), reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
            if (events.Count > 0)
            {
                seen.Add(current);
                yield return Assemble(current, events, changes, recorded, unreadable);
            }
        }
        // Profiles known only through property changes or recorded conversions.
        foreach (var profileId in changes.Keys.Concat(recorded.Keys).Where(id => !seen.Contains(id)).Distinct().Order())
        {
            yield return Assemble(profileId, [], changes, recorded);
        }
    }

    /// <param name="where">A condition on ProfileId, or null for every profile.</param>
    private static async Task<Dictionary<long, List<PropertyFact>>> ReadChangesAsync(SqliteConnection connection, string? where, CancellationToken ct)
    {
        var changes = new Dictionary<long, List<PropertyFact>>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ProfileId, Key, Kind, Value, Timestamp, Id FROM property_changes" + (where is null ? "" : $" WHERE {where}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var profileId = reader.GetInt64(0);
            if (!changes.TryGetValue(profileId, out var list))
            {
                changes[profileId] = list = [];
            }
            var value = new PropertyValue((PropertyValueKind)reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            list.Add(new PropertyFact(reader.GetString(1), value, FromMillis(reader.GetInt64(4)), reader.GetInt64(5)));
        }
        return changes;
    }

    /// <summary>The conversions recorded through the API (inputs to evaluation), by profile and goal.</summary>
    /// <param name="where">A condition on ProfileId, or null for every profile.</param>
    private static async Task<Dictionary<long, Dictionary<Guid, List<RecordedConversion>>>> ReadRecordedAsync(SqliteConnection connection, string? where, CancellationToken ct)
    {
        var recorded = new Dictionary<long, Dictionary<Guid, List<RecordedConversion>>>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ProfileId, GoalId, Timestamp, Source, Value, Channel, Site, EventId FROM conversions WHERE "
            + $"Source IN ({(int)ConversionSource.Api},{(int)ConversionSource.Match})" + (where is null ? "" : $" AND {where}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var profileId = reader.GetInt64(0);
            if (!recorded.TryGetValue(profileId, out var byGoal))
            {
                recorded[profileId] = byGoal = [];
            }
            var goalId = reader.GetGuid(1);
            if (!byGoal.TryGetValue(goalId, out var list))
            {
                byGoal[goalId] = list = [];
            }
            list.Add(new RecordedConversion(FromMillis(reader.GetInt64(2)), (ConversionSource)reader.GetInt32(3),
                reader.IsDBNull(4) ? null : Money.FromStored(reader.GetDouble(4)), reader.StringOrNull(5), reader.StringOrNull(6), reader.LongOrNull(7)));
        }
        return recorded;
    }

    private static StoredHistory Assemble(long profileId, List<EventFact> events, Dictionary<long, List<PropertyFact>> changes,
        Dictionary<long, Dictionary<Guid, List<RecordedConversion>>> recorded, string? unreadable = null) =>
        new(new ProfileHistory(profileId, events, changes.GetValueOrDefault(profileId) ?? []),
            recorded.GetValueOrDefault(profileId) ?? (IReadOnlyDictionary<Guid, List<RecordedConversion>>)EmptyRecorded, unreadable);

    private static readonly Dictionary<Guid, List<RecordedConversion>> EmptyRecorded = [];

    public async Task ReplaceResultsAsync(IReadOnlyCollection<Guid> goalIds, IReadOnlyCollection<long>? profileIds,
        IReadOnlyList<(Guid GoalId, long ProfileId, EvaluationResult Result)> results, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        var fresh = results.ToDictionary(r => (Goal: SqliteValues.GoalKey(r.GoalId), r.ProfileId), r => StoredForm(r.Result));
        IReadOnlyCollection<(string Goal, long ProfileId)> write;
        if (profileIds is null)
        {
            foreach (var goalId in goalIds)
            {
                await using var delete = connection.CreateCommand();
                delete.Transaction = tx;
                delete.CommandText = $"DELETE FROM completions WHERE GoalId = $g; DELETE FROM conversions WHERE GoalId = $g AND {DerivedSources};";
                delete.Parameters.AddWithValue("$g", SqliteValues.GoalKey(goalId));
                await delete.ExecuteNonQueryAsync(ct);
            }
            write = fresh.Keys;
        }
        else
        {
            // Live evaluation re-evaluates every goal for each touched profile, and most results do not
            // change: only the pairs whose stored rows differ are rewritten (each write updates several indexes).
            var stored = await StoredResultsAsync(connection, tx, goalIds.Select(SqliteValues.GoalKey).ToHashSet(StringComparer.Ordinal), profileIds, ct);
            var changed = stored.Keys.Union(fresh.Keys)
                .Where(pair => !Same(stored.GetValueOrDefault(pair), fresh.GetValueOrDefault(pair)))
                .ToList();
            await SqliteBulk.InsertAsync(connection, tx, changed,
                // Named: without it SQLite may walk the goal's covering index, every row of the goal, for each pair.
                $"DELETE FROM completions WHERE GoalId = $0 AND ProfileId = $1; " +
                $"DELETE FROM conversions INDEXED BY IX_conversions_GoalId_ProfileId_Timestamp WHERE GoalId = $0 AND ProfileId = $1 AND {DerivedSources};",
                pair => [pair.Goal, pair.ProfileId], ct);
            write = changed;
        }

        var rows = write.Where(fresh.ContainsKey).Select(pair => (pair.Goal, pair.ProfileId, Result: fresh[pair])).ToList();
        await SqliteBulk.InsertAsync(connection, tx, rows.Where(r => r.Result.Completion is not null).ToList(),
            "INSERT INTO completions (GoalId, ProfileId, CompletedAt, TriggerEventId, Channel, Site, Value) VALUES ($0,$1,$2,$3,$4,$5,$6)",
            r => [r.Goal, r.ProfileId, r.Result.Completion!.Value.At, r.Result.Completion.Value.Trigger, r.Result.Completion.Value.Channel,
                  r.Result.Completion.Value.Site, r.Result.Completion.Value.Value], ct);
        await SqliteBulk.InsertAsync(connection, tx, rows.SelectMany(r => r.Result.Conversions.Select(c => (r.Goal, r.ProfileId, Conversion: c))).ToList(),
            "INSERT INTO conversions (GoalId, ProfileId, Timestamp, Source, EventId, Channel, Site, Value) VALUES ($0,$1,$2,$3,$4,$5,$6,$7)",
            c => [c.Goal, c.ProfileId, c.Conversion.At, c.Conversion.Source, c.Conversion.EventId, c.Conversion.Channel, c.Conversion.Site, c.Conversion.Value], ct);
        await transaction.CommitAsync(ct);

        if (profileIds is null)
        {
            resultSink.Reset(goalIds);
        }
        else if (write.Count > 0)
        {
            var goalOf = goalIds.ToDictionary(SqliteValues.GoalKey, StringComparer.Ordinal);
            resultSink.Replaced(write.Select(pair => Change(goalOf[pair.Goal], pair.ProfileId, fresh.GetValueOrDefault(pair) ?? Nothing)).ToList());
        }
    }

    private static ResultChange Change(Guid goalId, long profileId, StoredResult result) => new(goalId, profileId,
        result.Completion is { } c ? new CompletionFact(profileId, c.At, c.Channel, c.Site, c.Value, null) : null,
        result.Conversions.Select(c => new ConversionFact(profileId, c.At, c.Channel, c.Site, c.Value)).ToList());

    private static readonly string DerivedSources = $"Source IN ({(int)ConversionSource.Event},{(int)ConversionSource.Completion})";

    private readonly record struct CompletionRow(long At, long? Trigger, string? Channel, string? Site, double? Value);

    private readonly record struct ConversionRow(long At, int Source, long? EventId, string? Channel, string? Site, double? Value);

    /// <summary>A goal's results for one profile as the tables hold them (event-derived conversions only; recorded ones are inputs).</summary>
    private sealed record StoredResult(CompletionRow? Completion, List<ConversionRow> Conversions);

    private static StoredResult StoredForm(EvaluationResult result) => new(
        result.Completion is { } c ? new CompletionRow(Millis(c.CompletedAt)!.Value, c.TriggerEventId, c.Channel, c.Site, c.Value is { } v ? (double)v : null) : null,
        result.Conversions.Where(c => c.Source is ConversionSource.Event or ConversionSource.Completion)
            .Select(c => new ConversionRow(Millis(c.Timestamp)!.Value, (int)c.Source, c.EventId, c.Channel, c.Site, c.Value is { } v ? (double)v : null))
            .ToList());

    private static bool Same(StoredResult? stored, StoredResult? fresh)
    {
        var (a, b) = (stored ?? Nothing, fresh ?? Nothing);
        if (a.Completion != b.Completion || a.Conversions.Count != b.Conversions.Count)
        {
            return false;
        }
        var counts = a.Conversions.CountBy(c => c).ToDictionary();
        foreach (var conversion in b.Conversions)
        {
            if (counts.GetValueOrDefault(conversion) == 0)
            {
                return false;
            }
            counts[conversion]--;
        }
        return true;
    }

    private static readonly StoredResult Nothing = new(null, []);

    private static async Task<Dictionary<(string Goal, long ProfileId), StoredResult>> StoredResultsAsync(SqliteConnection connection, SqliteTransaction tx,
        HashSet<string> goals, IReadOnlyCollection<long> profileIds, CancellationToken ct)
    {
        var result = new Dictionary<(string, long), StoredResult>();
        StoredResult Of(string goal, long profile) =>
            result.TryGetValue((goal, profile), out var r) ? r : result[(goal, profile)] = new StoredResult(null, []);
        var ids = string.Join(',', profileIds);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = $"SELECT GoalId, ProfileId, CompletedAt, TriggerEventId, Channel, Site, Value FROM completions WHERE ProfileId IN ({ids})";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var goal = reader.GetString(0);
                if (goals.Contains(goal))
                {
                    var profile = reader.GetInt64(1);
                    result[(goal, profile)] = Of(goal, profile) with
                    {
                        Completion = new CompletionRow(reader.GetInt64(2), reader.LongOrNull(3), reader.StringOrNull(4), reader.StringOrNull(5), reader.DoubleOrNull(6)),
                    };
                }
            }
        }
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = $"SELECT GoalId, ProfileId, Timestamp, Source, EventId, Channel, Site, Value FROM conversions WHERE ProfileId IN ({ids}) AND {DerivedSources}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var goal = reader.GetString(0);
                if (goals.Contains(goal))
                {
                    Of(goal, reader.GetInt64(1)).Conversions.Add(new ConversionRow(reader.GetInt64(2), reader.GetInt32(3), reader.LongOrNull(4),
                        reader.StringOrNull(5), reader.StringOrNull(6), reader.DoubleOrNull(7)));
                }
            }
        }
        return result;
    }
}

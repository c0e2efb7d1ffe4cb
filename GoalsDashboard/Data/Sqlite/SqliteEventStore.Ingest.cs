using System.Data.Common;
using System.Text.Json;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GoalsDashboard.Data.Sqlite;

internal sealed partial class SqliteEventStore
{
    public async Task<IngestResult> IngestEventsAsync(IReadOnlyList<IncomingEvent> events, DateTimeOffset receivedAt, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();

        // The first stored event with an id wins: drop ids already stored, then repeats within the batch.
        var ids = events.Where(e => e.EventId is not null).Select(e => e.EventId!).Distinct(StringComparer.Ordinal).ToList();
        var stored = ids.Count == 0 ? [] : await SelectStringsAsync(connection, tx, "SELECT EventId FROM events WHERE EventId IN ({0})", ids, ct);
        var seen = new HashSet<string>(stored, StringComparer.Ordinal);
        var fresh = new List<IncomingEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.EventId is null || seen.Add(e.EventId))
            {
                fresh.Add(e);
            }
        }

        var profiles = await ResolveProfilesAsync(connection, tx, fresh.Select(e => e.ProfileId).Distinct(StringComparer.Ordinal).ToList(), receivedAt, ct);

        var lastBefore = await LastEventIdAsync(connection, tx, ct);
        await SqliteBulk.InsertAsync(connection, tx, fresh,
            "INSERT INTO events (ProfileId, EventId, Name, Timestamp, ReceivedAt, Site, Path, Channel, Campaign, PropertiesJson, RevenueAmount, RevenueCurrency) " +
            "VALUES ($0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
            e => [profiles[e.ProfileId], e.EventId, e.Name, Millis(e.Timestamp), Millis(receivedAt), e.Site, e.Path, e.Channel, e.Campaign,
                  e.PropertiesJson, e.RevenueAmount is { } a ? (double)a : null, e.RevenueCurrency], ct);

        // First seen: the earliest event, earliest stored on ties (so a later tie does not move it).
        var firsts = FirstSeen.Earliest(fresh, e => profiles[e.ProfileId], e => e.Timestamp.UtcTicks);
        await SqliteBulk.InsertAsync(connection, tx, firsts,
            "UPDATE profiles SET FirstSeenAt = $1, FirstChannel = $2, FirstSite = $3 WHERE Id = $0 AND (FirstSeenAt IS NULL OR FirstSeenAt > $1)",
            e => [profiles[e.ProfileId], Millis(e.Timestamp), e.Channel, e.Site], ct);

        var sites = fresh.Where(e => e.Site is not null).GroupBy(e => e.Site!).Select(g => (Key: g.Key, First: g.Min(e => e.Timestamp))).ToList();
        await SqliteBulk.InsertAsync(connection, tx, sites,
            "INSERT INTO sites (Key, FirstSeenAt) VALUES ($0, $1) ON CONFLICT (Key) DO UPDATE SET FirstSeenAt = MIN(FirstSeenAt, excluded.FirstSeenAt)",
            s => [s.Key, Millis(s.First)], ct);
        await SqliteBulk.InsertAsync(connection, tx, fresh.Select(e => e.Name).Distinct(StringComparer.Ordinal).ToList(),
            "INSERT INTO event_names (Name) VALUES ($0) ON CONFLICT (Name) DO NOTHING", name => [name], ct);

        var campaignEvents = fresh.Where(e => e.Campaign is not null).ToList();
        if (campaignEvents.Count > 0)
        {
            var campaigns = await db.Campaigns.AsNoTracking().Select(c => new { c.Id, c.Key }).ToDictionaryAsync(c => c.Key, c => c.Id, ct);
            var entries = campaignEvents.Where(e => campaigns.ContainsKey(e.Campaign!))
                .GroupBy(e => (Campaign: campaigns[e.Campaign!], Profile: profiles[e.ProfileId]))
                .Select(g => (g.Key.Campaign, g.Key.Profile, First: g.Min(e => e.Timestamp))).ToList();
            await SqliteBulk.InsertAsync(connection, tx, entries,
                "INSERT INTO audience_entries (CampaignId, ProfileId, FirstEventAt, EnteredAt) VALUES ($0, $1, $2, $2) " +
                "ON CONFLICT (CampaignId, ProfileId) DO UPDATE SET FirstEventAt = MIN(COALESCE(FirstEventAt, excluded.FirstEventAt), excluded.FirstEventAt), " +
                "EnteredAt = MIN(EnteredAt, excluded.FirstEventAt)",
                x => [x.Campaign, x.Profile, Millis(x.First)], ct);
        }

        var touched = fresh.Select(e => profiles[e.ProfileId]).Distinct().ToList();
        await MarkAsync(connection, tx, touched, ct);
        Change? change = null;
        if (fresh.Count > 0)
        {
            // One writer at a time: this transaction's events have the ids after the last one before it, in a row.
            var range = (lastBefore + 1, await LastEventIdAsync(connection, tx, ct));
            var facts = fresh.Select(e => new ActivityFact(profiles[e.ProfileId], e.Timestamp.ToUnixTimeMilliseconds(), e.Site, e.Channel)).ToList();
            change = await SqliteChangeLog.AppendAsync(connection, tx, new Change(0, ChangeKind.Events) { Events = facts, CarriesCampaigns = campaignEvents.Count > 0 },
                ChangePayload.Events([range], campaignEvents.Count > 0), clock, ct);
        }
        await transaction.CommitAsync(ct);
        turn.Dispose();
        if (change is not null)
        {
            await feed.PublishAsync(change, ct);
        }
        return new IngestResult(fresh.Count, events.Count - fresh.Count, touched);
    }

    public async Task<IReadOnlyList<long>> SetPropertiesAsync(IReadOnlyList<ProfilePropertyChanges> batch, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        var profiles = await ResolveProfilesAsync(connection, tx, batch.Select(b => b.ProfileId).Distinct(StringComparer.Ordinal).ToList(),
            batch.Count == 0 ? DateTimeOffset.UtcNow : batch.Min(b => b.At), ct);
        var rows = batch.SelectMany(b => b.Changes.Select(c => (Profile: profiles[b.ProfileId], Change: c, b.At))).ToList();
        await SqliteBulk.InsertAsync(connection, tx, rows,
            "INSERT INTO property_changes (ProfileId, Key, Kind, Value, Timestamp) VALUES ($0,$1,$2,$3,$4)",
            r => [r.Profile, r.Change.Key, (int)r.Change.Value.Kind, r.Change.Value.Text, Millis(r.At)], ct);
        await SqliteBulk.InsertAsync(connection, tx, rows,
            "INSERT INTO profile_properties (ProfileId, Key, Kind, Value, SetAt) VALUES ($0,$1,$2,$3,$4) " +
            "ON CONFLICT (ProfileId, Key) DO UPDATE SET Kind = excluded.Kind, Value = excluded.Value, SetAt = excluded.SetAt WHERE excluded.SetAt >= profile_properties.SetAt",
            r => [r.Profile, r.Change.Key, (int)r.Change.Value.Kind, r.Change.Value.Text, Millis(r.At)], ct);
        var touched = profiles.Values.ToList();
        await MarkAsync(connection, tx, touched, ct);
        var change = await SqliteChangeLog.AppendAsync(connection, tx, new Change(0, ChangeKind.Properties), "{}", clock, ct);
        await transaction.CommitAsync(ct);
        turn.Dispose();
        await feed.PublishAsync(change, ct);
        return batch.Select(b => profiles[b.ProfileId]).ToList();
    }

    public async Task ImportAudienceAsync(int campaignId, IReadOnlyList<(string ProfileId, DateTimeOffset EnteredAt)> entries, DateTimeOffset now,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        var profiles = await ResolveProfilesAsync(connection, tx, entries.Select(e => e.ProfileId).Distinct(StringComparer.Ordinal).ToList(), now, ct);
        var earliest = entries.GroupBy(e => e.ProfileId, StringComparer.Ordinal).Select(g => (Profile: profiles[g.Key], At: g.Min(e => e.EnteredAt))).ToList();
        await SqliteBulk.InsertAsync(connection, tx, earliest,
            "INSERT INTO audience_entries (CampaignId, ProfileId, ImportedAt, EnteredAt) VALUES ($0, $1, $2, $2) " +
            "ON CONFLICT (CampaignId, ProfileId) DO UPDATE SET ImportedAt = MIN(COALESCE(ImportedAt, excluded.ImportedAt), excluded.ImportedAt), " +
            "EnteredAt = MIN(EnteredAt, excluded.ImportedAt)",
            x => [campaignId, x.Profile, Millis(x.At)], ct);
        var change = await SqliteChangeLog.AppendAsync(connection, tx, new Change(0, ChangeKind.Audience), "{}", clock, ct);
        await transaction.CommitAsync(ct);
        turn.Dispose();
        await feed.PublishAsync(change, ct);
    }

    public async Task RebuildAudienceFromEventsAsync(int campaignId, string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        foreach (var sql in new[]
        {
            "DELETE FROM audience_entries WHERE CampaignId = $campaign AND ImportedAt IS NULL",
            "UPDATE audience_entries SET FirstEventAt = NULL, EnteredAt = ImportedAt WHERE CampaignId = $campaign",
            // Reads the (Campaign, ProfileId, Timestamp) index only.
            "INSERT INTO audience_entries (CampaignId, ProfileId, FirstEventAt, EnteredAt) " +
            "SELECT $campaign, ProfileId, MIN(Timestamp), MIN(Timestamp) FROM events WHERE Campaign = $key GROUP BY ProfileId " +
            "ON CONFLICT (CampaignId, ProfileId) DO UPDATE SET FirstEventAt = excluded.FirstEventAt, EnteredAt = MIN(EnteredAt, excluded.FirstEventAt)",
        })
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$campaign", campaignId);
            command.Parameters.AddWithValue("$key", key);
            await command.ExecuteNonQueryAsync(ct);
        }
        var change = await SqliteChangeLog.AppendAsync(connection, tx, new Change(0, ChangeKind.Audience), "{}", clock, ct);
        await transaction.CommitAsync(ct);
        turn.Dispose();
        await feed.PublishAsync(change, ct);
    }

    private static async Task<long> LastEventIdAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM events";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static Task MarkAsync(SqliteConnection connection, SqliteTransaction tx, IReadOnlyCollection<long> profileIds, CancellationToken ct) =>
        SqliteEvaluationQueue.MarkAsync(connection, tx, profileIds, ct);

    /// <summary>Internal ids of the given external ids, creating the profiles that do not exist yet.</summary>
    private static async Task<Dictionary<string, long>> ResolveProfilesAsync(SqliteConnection connection, SqliteTransaction tx, IReadOnlyList<string> externalIds,
        DateTimeOffset now, CancellationToken ct)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (externalIds.Count == 0)
        {
            return result;
        }
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = $"SELECT ExternalId, Id FROM profiles WHERE ExternalId IN ({EachOf})";
            select.Parameters.AddWithValue("$values", JsonSerializer.Serialize(externalIds));
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        var missing = externalIds.Where(id => !result.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO profiles (ExternalId, CreatedAt) VALUES ($id, $now) RETURNING Id";
            var idParameter = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$now", Millis(now));
            insert.Prepare();
            foreach (var externalId in missing)
            {
                idParameter.Value = externalId;
                result[externalId] = (long)(await insert.ExecuteScalarAsync(ct))!;
            }
        }
        return result;
    }

    private static async Task<List<string>> SelectStringsAsync(SqliteConnection connection, SqliteTransaction tx, string sqlFormat, IReadOnlyList<string> values, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlFormat, EachOf);
        command.Parameters.AddWithValue("$values", JsonSerializer.Serialize(values));
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(reader.GetString(0));
        }
        return result;
    }

    /// <summary>
    /// A batch's ids as one JSON parameter, not one parameter each: SQLite finds a named parameter by a
    /// linear search, so binding a thousand of them one by one costs half a million string comparisons.
    /// </summary>
    private const string EachOf = "SELECT value FROM json_each($values)";
}

using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data.Sql;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using GoalsDashboard.Ingestion;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// The PostgreSQL event store. A batch's profiles are resolved first, then its events are stored with one
/// set-based statement, given one array per column (docs/decisions/ADR-004-postgresql.md):
/// profiles through profile_keys, duplicate event ids through event_keys, so that concurrent writers (several app
/// instances) agree through the keys' uniqueness rather than a lock.
/// </summary>
internal sealed partial class PostgresEventStore(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, TimeProvider clock) : IEventStore
{
    /// <summary>
    /// Stores a batch in one statement, its events passed as one array per column: the first event with an id claims
    /// it in event_keys (unless it is claimed already), events without an id and the claiming ones are inserted, and
    /// the sites, event names (and campaign audiences) they name are recorded from what was inserted; the inserted
    /// events are returned.
    /// A site is written only when it is new or seen earlier than before: an upsert locks its row until the
    /// batch commits, and every batch names the same few sites, so concurrent writers would take turns.
    /// </summary>
    private static string StoreBatch(bool withAudience) => $"""
        WITH incoming AS MATERIALIZED (
                 SELECT * FROM unnest(@ord, @event_id, @profile_id, @name, @ts, @site, @path, @channel, @campaign, @props, @amount, @currency)
                     AS x(ord, event_id, profile_id, name, ts, site, path, channel, campaign, props, amount, currency)),
             firsts AS (SELECT DISTINCT ON (event_id) ord, event_id, profile_id FROM incoming WHERE event_id IS NOT NULL ORDER BY event_id, ord),
             claimed AS (INSERT INTO event_keys ("EventId", "ProfileId") SELECT event_id, profile_id FROM firsts ON CONFLICT DO NOTHING RETURNING "EventId"),
             inserted AS (
                 INSERT INTO events ("ProfileId", "EventId", "Name", "Timestamp", "ReceivedAt", "Site", "Path", "Channel", "Campaign", "PropertiesJson", "RevenueAmount", "RevenueCurrency")
                 SELECT profile_id, event_id, name, ts, @received, site, path, channel, campaign, props, amount, currency FROM incoming
                 WHERE event_id IS NULL OR ord IN (SELECT f.ord FROM firsts f JOIN claimed c ON c."EventId" = f.event_id)
                 ORDER BY ord
                 RETURNING "Id", "ProfileId", "Name", "Timestamp", "Site", "Channel", "Campaign"),
             sites_seen AS (
                 INSERT INTO sites ("Key", "FirstSeenAt")
                 SELECT i."Site", min(i."Timestamp") FROM inserted i WHERE i."Site" IS NOT NULL GROUP BY i."Site"
                 HAVING NOT EXISTS (SELECT 1 FROM sites s WHERE s."Key" = i."Site" AND s."FirstSeenAt" <= min(i."Timestamp")) ORDER BY i."Site"
                 ON CONFLICT ("Key") DO UPDATE SET "FirstSeenAt" = LEAST(sites."FirstSeenAt", excluded."FirstSeenAt")),
             names_seen AS (
                 INSERT INTO event_names ("Name") SELECT DISTINCT "Name" FROM inserted ORDER BY "Name" ON CONFLICT ("Name") DO NOTHING){(withAudience ? """
        ,
             audience AS (
                 INSERT INTO audience_entries ("CampaignId", "ProfileId", "FirstEventAt", "EnteredAt")
                 SELECT c."Id", i."ProfileId", min(i."Timestamp"), min(i."Timestamp") FROM inserted i JOIN campaigns c ON c."Key" = i."Campaign"
                 GROUP BY c."Id", i."ProfileId" ORDER BY c."Id", i."ProfileId"
                 ON CONFLICT ("CampaignId", "ProfileId") DO UPDATE SET
                     "FirstEventAt" = LEAST(COALESCE(audience_entries."FirstEventAt", excluded."FirstEventAt"), excluded."FirstEventAt"),
                     "EnteredAt" = LEAST(audience_entries."EnteredAt", excluded."FirstEventAt"))
        """ : "")}
        SELECT "Id", "ProfileId", "Timestamp", "Site", "Channel" FROM inserted ORDER BY "Id"
        """;

    public async Task<IngestResult> IngestEventsAsync(IReadOnlyList<IncomingEvent> events, DateTimeOffset receivedAt, CancellationToken ct = default)
    {
        // Profiles first, so that each event goes in with its profile (no second pass over the batch to look it up),
        // and outside the batch's transaction: each statement commits on its own, so a writer meeting a profile that
        // another is creating waits for that one statement, not for the rest of the other's batch. Profiles are never
        // deleted, so one created here is there for the transaction; if the batch then fails, it stays without events,
        // as a profile given only properties does.
        Dictionary<string, long> profiles;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            profiles = await ResolveProfilesAsync(await OpenAsync(db, ct), events.Select(e => e.ProfileId).Distinct(StringComparer.Ordinal).ToList(), receivedAt, ct);
        }
        return await PostgresWrite.WithChangeAsync(dbFactory, feed, connection => IngestAsync(connection, events, profiles, receivedAt, ct), ct);
    }

    private async Task<(IngestResult, Change?)> IngestAsync(NpgsqlConnection connection, IReadOnlyList<IncomingEvent> events, Dictionary<string, long> profiles,
        DateTimeOffset receivedAt, CancellationToken ct)
    {
        string?[] Column(Func<IncomingEvent, string?> value) => events.Select(value).ToArray();
        var carriesCampaigns = events.Any(e => e.Campaign is not null);
        var ids = new List<long>(events.Count);
        var facts = new List<ActivityFact>(events.Count);
        await using (var store = new NpgsqlCommand(StoreBatch(carriesCampaigns), connection))
        {
            store.Parameters.AddWithValue("received", receivedAt.ToUnixTimeMilliseconds());
            store.Parameters.AddWithValue("ord", Enumerable.Range(0, events.Count).ToArray());
            store.Parameters.AddWithValue("event_id", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.EventId));
            store.Parameters.AddWithValue("profile_id", events.Select(e => profiles[e.ProfileId]).ToArray());
            store.Parameters.AddWithValue("name", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.Name));
            store.Parameters.AddWithValue("ts", events.Select(e => e.Timestamp.ToUnixTimeMilliseconds()).ToArray());
            store.Parameters.AddWithValue("site", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.Site));
            store.Parameters.AddWithValue("path", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.Path));
            store.Parameters.AddWithValue("channel", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.Channel));
            store.Parameters.AddWithValue("campaign", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.Campaign));
            store.Parameters.AddWithValue("props", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.PropertiesJson));
            store.Parameters.AddWithValue("amount", NpgsqlDbType.Array | NpgsqlDbType.Numeric, events.Select(e => e.RevenueAmount).ToArray());
            store.Parameters.AddWithValue("currency", NpgsqlDbType.Array | NpgsqlDbType.Text, Column(e => e.RevenueCurrency));
            await using var reader = await store.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
                facts.Add(new ActivityFact(reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }
        await RecordFirstSeenAsync(connection, facts, ct);
        var touched = facts.Select(f => f.ProfileId).Distinct().ToList();
        await PostgresEvaluationQueue.MarkAsync(connection, touched, ct);
        Change? change = null;
        if (ids.Count > 0)
        {
            change = await PostgresChangeLog.AppendAsync(connection, new Change(0, ChangeKind.Events) { Events = facts, CarriesCampaigns = carriesCampaigns },
                ChangePayload.Events(Ranges(ids), carriesCampaigns), clock, ct);
        }
        return (new IngestResult(facts.Count, events.Count - facts.Count, touched), change);
    }

    /// <summary>
    /// A profile's first seen is its earliest event, the earliest stored on ties (so a later tie does not move it).
    /// Only the profiles it moves are locked (in id order, so two writers never wait for each other in a cycle) and
    /// written: it only ever moves earlier, so a profile it does not move now it will not move later in this write.
    /// </summary>
    private static async Task RecordFirstSeenAsync(NpgsqlConnection connection, List<ActivityFact> stored, CancellationToken ct)
    {
        if (stored.Count == 0)
        {
            return;
        }
        var firsts = FirstSeen.Earliest(stored, f => f.ProfileId, f => f.At); // stored is in id order
        // Found once, locked in id order, then written. "Id" = ANY(…) as well as the join: without it the planner,
        // knowing the array's length, may scan every profile.
        await using var command = new NpgsqlCommand("""
            WITH moving AS MATERIALIZED (
                SELECT p."Id", f.ts, f.channel, f.site FROM profiles p JOIN unnest(@profile, @at, @channel, @site) AS f(profile_id, ts, channel, site) ON p."Id" = f.profile_id
                WHERE p."Id" = ANY(@profile) AND (p."FirstSeenAt" IS NULL OR p."FirstSeenAt" > f.ts) ORDER BY p."Id" FOR NO KEY UPDATE OF p)
            UPDATE profiles p SET "FirstSeenAt" = m.ts, "FirstChannel" = m.channel, "FirstSite" = m.site
            FROM moving m WHERE p."Id" = m."Id" AND (p."FirstSeenAt" IS NULL OR p."FirstSeenAt" > m.ts)
            """, connection);
        command.Parameters.AddWithValue("profile", firsts.Select(f => f.ProfileId).ToArray());
        command.Parameters.AddWithValue("at", firsts.Select(f => f.At).ToArray());
        command.Parameters.AddWithValue("channel", NpgsqlDbType.Array | NpgsqlDbType.Text, firsts.Select(f => f.Channel).ToArray());
        command.Parameters.AddWithValue("site", NpgsqlDbType.Array | NpgsqlDbType.Text, firsts.Select(f => f.Site).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Consecutive ids as ranges: one writer's ids are consecutive unless another took some in between.</summary>
    private static List<(long From, long To)> Ranges(List<long> ids)
    {
        ids.Sort();
        var ranges = new List<(long, long)>();
        var (from, to) = (ids[0], ids[0]);
        foreach (var id in ids.Skip(1))
        {
            if (id == to + 1)
            {
                to = id;
            }
            else
            {
                ranges.Add((from, to));
                (from, to) = (id, id);
            }
        }
        ranges.Add((from, to));
        return ranges;
    }

    public Task<IReadOnlyList<long>> SetPropertiesAsync(IReadOnlyList<ProfilePropertyChanges> batch, CancellationToken ct = default) =>
        PostgresWrite.WithChangeAsync(dbFactory, feed, async connection =>
    {
        var profiles = await ResolveProfilesAsync(connection, batch.Select(b => b.ProfileId).Distinct(StringComparer.Ordinal).ToList(),
            batch.Count == 0 ? clock.GetUtcNow() : batch.Min(b => b.At), ct);
        var rows = batch.SelectMany(b => b.Changes.Select(c => (Profile: profiles[b.ProfileId], Change: c, At: b.At.ToUnixTimeMilliseconds()))).ToList();
        if (rows.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                WITH incoming AS (SELECT * FROM unnest(@profile, @key, @kind, @value, @at) AS x(profile, key, kind, value, at)),
                     changes AS (INSERT INTO property_changes ("ProfileId", "Key", "Kind", "Value", "Timestamp") SELECT profile, key, kind, value, at FROM incoming)
                INSERT INTO profile_properties ("ProfileId", "Key", "Kind", "Value", "SetAt")
                SELECT DISTINCT ON (profile, key) profile, key, kind, value, at FROM incoming ORDER BY profile, key, at DESC
                ON CONFLICT ("ProfileId", "Key") DO UPDATE SET "Kind" = excluded."Kind", "Value" = excluded."Value", "SetAt" = excluded."SetAt"
                WHERE excluded."SetAt" >= profile_properties."SetAt"
                """, connection);
            command.Parameters.AddWithValue("profile", rows.Select(r => r.Profile).ToArray());
            command.Parameters.AddWithValue("key", rows.Select(r => r.Change.Key).ToArray());
            command.Parameters.AddWithValue("kind", rows.Select(r => (short)r.Change.Value.Kind).ToArray());
            command.Parameters.AddWithValue("value", rows.Select(r => r.Change.Value.Text).ToArray());
            command.Parameters.AddWithValue("at", rows.Select(r => r.At).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }
        await PostgresEvaluationQueue.MarkAsync(connection, profiles.Values.ToList(), ct);
        var change = await PostgresChangeLog.AppendAsync(connection, new Change(0, ChangeKind.Properties), "{}", clock, ct);
        return ((IReadOnlyList<long>)batch.Select(b => profiles[b.ProfileId]).ToList(), (Change?)change);
    }, ct);

    public Task ImportAudienceAsync(int campaignId, IReadOnlyList<(string ProfileId, DateTimeOffset EnteredAt)> entries, DateTimeOffset now,
        CancellationToken ct = default) => PostgresWrite.WithChangeAsync(dbFactory, feed, async connection =>
    {
        var profiles = await ResolveProfilesAsync(connection, entries.Select(e => e.ProfileId).Distinct(StringComparer.Ordinal).ToList(), now, ct);
        var earliest = entries.GroupBy(e => e.ProfileId, StringComparer.Ordinal)
            .Select(g => (Profile: profiles[g.Key], At: g.Min(e => e.EnteredAt).ToUnixTimeMilliseconds())).OrderBy(e => e.Profile).ToList();
        await using (var command = new NpgsqlCommand("""
            INSERT INTO audience_entries ("CampaignId", "ProfileId", "ImportedAt", "EnteredAt") SELECT @campaign, profile, at, at FROM unnest(@profile, @at) AS x(profile, at)
            ON CONFLICT ("CampaignId", "ProfileId") DO UPDATE SET
                "ImportedAt" = LEAST(COALESCE(audience_entries."ImportedAt", excluded."ImportedAt"), excluded."ImportedAt"),
                "EnteredAt" = LEAST(audience_entries."EnteredAt", excluded."ImportedAt")
            """, connection))
        {
            command.Parameters.AddWithValue("campaign", campaignId);
            command.Parameters.AddWithValue("profile", earliest.Select(e => e.Profile).ToArray());
            command.Parameters.AddWithValue("at", earliest.Select(e => e.At).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }
        return (true, (Change?)await PostgresChangeLog.AppendAsync(connection, new Change(0, ChangeKind.Audience), "{}", clock, ct));
    }, ct);

    public Task RebuildAudienceFromEventsAsync(int campaignId, string key, CancellationToken ct = default) => PostgresWrite.WithChangeAsync(dbFactory, feed, async connection =>
    {
        foreach (var sql in new[]
        {
            "DELETE FROM audience_entries WHERE \"CampaignId\" = @campaign AND \"ImportedAt\" IS NULL",
            "UPDATE audience_entries SET \"FirstEventAt\" = NULL, \"EnteredAt\" = \"ImportedAt\" WHERE \"CampaignId\" = @campaign",
            """
            INSERT INTO audience_entries ("CampaignId", "ProfileId", "FirstEventAt", "EnteredAt")
            SELECT @campaign, "ProfileId", min("Timestamp"), min("Timestamp") FROM events WHERE "Campaign" = @key GROUP BY "ProfileId"
            ON CONFLICT ("CampaignId", "ProfileId") DO UPDATE SET "FirstEventAt" = excluded."FirstEventAt", "EnteredAt" = LEAST(audience_entries."EnteredAt", excluded."FirstEventAt")
            """,
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("campaign", campaignId);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(ct);
        }
        return (true, (Change?)await PostgresChangeLog.AppendAsync(connection, new Change(0, ChangeKind.Audience), "{}", clock, ct));
    }, ct);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(IReadOnlyCollection<long>? profileIds, bool withEventProperties, CancellationToken ct = default) =>
        SqlHistories.ReadAsync(dbFactory, profileIds, withEventProperties, ct);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(ProfileRange range, bool withEventProperties, CancellationToken ct = default) =>
        SqlHistories.ReadAsync(dbFactory, range, withEventProperties, ct);

    public Task<long> MaxProfileIdAsync(CancellationToken ct = default) => SqlHistories.MaxProfileIdAsync(dbFactory, ct);

    /// <summary>
    /// Internal ids of the given external ids, creating the profiles that do not exist yet. Concurrent writers creating
    /// the same profile meet at profile_keys' key: one inserts, the other reads what it inserted.
    /// </summary>
    private static async Task<Dictionary<string, long>> ResolveProfilesAsync(NpgsqlConnection connection, IReadOnlyList<string> externalIds, DateTimeOffset now,
        CancellationToken ct)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (externalIds.Count == 0)
        {
            return result;
        }
        await ReadKeysAsync(connection, externalIds, result, ct);
        var missing = externalIds.Where(id => !result.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
        {
            // The sequence is looked up once (a sub-select), not for every row.
            await using (var insert = new NpgsqlCommand("""
                WITH new AS (
                    INSERT INTO profile_keys ("ExternalId", "ProfileId")
                    SELECT x, nextval((SELECT pg_get_serial_sequence('profiles', 'Id'))::regclass) FROM unnest(@ids) AS x ORDER BY x
                    ON CONFLICT DO NOTHING RETURNING "ExternalId", "ProfileId"),
                     made AS (INSERT INTO profiles ("Id", "ExternalId", "CreatedAt") SELECT "ProfileId", "ExternalId", @now FROM new)
                SELECT "ExternalId", "ProfileId" FROM new
                """, connection))
            {
                insert.Parameters.AddWithValue("ids", missing);
                insert.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
                await ReadPairsAsync(insert, result, ct);
            }
            // Made by another writer meanwhile.
            var madeElsewhere = missing.Where(id => !result.ContainsKey(id)).ToArray();
            if (madeElsewhere.Length > 0)
            {
                await ReadKeysAsync(connection, madeElsewhere, result, ct);
            }
        }
        return result;
    }

    private static async Task ReadKeysAsync(NpgsqlConnection connection, IReadOnlyList<string> externalIds, Dictionary<string, long> into, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand("SELECT \"ExternalId\", \"ProfileId\" FROM profile_keys WHERE \"ExternalId\" = ANY(@ids)", connection);
        select.Parameters.AddWithValue("ids", externalIds.ToArray());
        await ReadPairsAsync(select, into, ct);
    }

    private static async Task ReadPairsAsync(NpgsqlCommand command, Dictionary<string, long> into, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            into[reader.GetString(0)] = reader.GetInt64(1);
        }
    }

    private static Task<NpgsqlConnection> OpenAsync(AppDbContext db, CancellationToken ct) => PostgresWrite.OpenAsync(db, ct);
}

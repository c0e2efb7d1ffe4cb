using GoalsDashboard.Data.Sql;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// The read of all history for a backfill. PostgreSQL decides which events to send: the ones the goals name
/// (<see cref="EventNeeds"/>), and, from one window over each profile's events in time order, its first event
/// and the first event at every instant it has more than one event at or a property change at. One share of
/// profiles per core, each on its own connection, arriving in (profile, time) order.
/// </summary>
internal sealed partial class PostgresEventStore
{
    public async Task<IReadOnlyList<IEnumerable<StoredHistory>>> ReadAllHistoriesAsync(IReadOnlyCollection<Guid> goalIds, EventNeeds needs, int parts,
        Action<double>? progress = null, CancellationToken ct = default)
    {
        long maxEventId, maxProfileId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var connection = await OpenAsync(db, ct);
            // One statement, one snapshot; whatever arrives later is marked for live evaluation, which runs after the backfill.
            await using var command = new NpgsqlCommand("SELECT COALESCE((SELECT max(\"Id\") FROM events), 0), COALESCE((SELECT max(\"Id\") FROM profiles), 0)", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (maxEventId, maxProfileId) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var done = 0;
        var goals = goalIds.ToArray();
        var shares = await Task.WhenAll(ProfileRange.Split(maxProfileId, parts).Select(async range =>
        {
            var share = await ReadShareAsync(range, maxEventId, maxProfileId, goals, needs, ct);
            progress?.Invoke(0.8 * Interlocked.Increment(ref done) / parts);
            return (IEnumerable<StoredHistory>)share;
        }));
        return shares;
    }

    private async Task<List<StoredHistory>> ReadShareAsync(ProfileRange range, long maxEventId, long maxProfileId, Guid[] goalIds, EventNeeds needs,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        var to = Math.Min(range.To, maxProfileId + 1);
        var inRange = $"\"ProfileId\" >= {range.From} AND \"ProfileId\" < {to}";
        var changes = await SqlHistories.ReadChangesAsync(connection, inRange, ct);
        var recorded = await SqlHistories.ReadRecordedAsync(connection,
            goalIds.Length == 0 ? "false" : $"{inRange} AND \"GoalId\" IN ({string.Join(", ", goalIds.Select(g => $"'{g}'"))})", ct);

        await using var command = new NpgsqlCommand { Connection = connection };
        var used = new List<string>();
        if (needs.Names.Count > 0)
        {
            used.Add("\"Name\" = ANY(@names)");
            command.Parameters.AddWithValue("names", needs.Names.ToArray());
        }
        if (needs.UsesPageViews)
        {
            var prefixes = needs.PathPrefixes;
            used.Add($"(\"Name\" = @pageView AND ({string.Join(" OR ", prefixes.Select((_, i) => $"starts_with(\"Path\", @prefix{i})"))}))");
            command.Parameters.AddWithValue("pageView", TrackedEvent.PageViewName);
            for (var i = 0; i < prefixes.Count; i++)
            {
                command.Parameters.AddWithValue($"prefix{i}", prefixes[i]);
            }
        }
        // Page views are narrowed by prefix here and decided by their whole pattern below.
        command.CommandText = $"""
            SELECT "ProfileId", "Id", "Name", "Timestamp", "Site", "Path", "Channel", "RevenueAmount"::float8, "RevenueCurrency",
                   {(needs.WithProperties ? "\"PropertiesJson\"" : "NULL::text")}, marked
            FROM (SELECT *, before IS NULL OR (before <> "Timestamp" AND (COALESCE(after = "Timestamp", false) OR EXISTS (
                            SELECT 1 FROM property_changes c WHERE c."ProfileId" = y."ProfileId" AND c."Timestamp" = y."Timestamp"))) AS marked
                  FROM (SELECT e.*, {(used.Count == 0 ? "false" : string.Join(" OR ", used))} AS used,
                               lag("Timestamp") OVER w AS before, lead("Timestamp") OVER w AS after
                        FROM events e WHERE {inRange} AND "Id" <= {maxEventId}
                        WINDOW w AS (PARTITION BY "ProfileId" ORDER BY "Timestamp", "Id")) y) x
            WHERE used OR marked
            ORDER BY "ProfileId", "Timestamp", "Id"
            """;

        var histories = new List<StoredHistory>();
        var pageViews = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var current = -1L;
            var events = new List<EventFact>();
            string? unreadable = null;
            while (await reader.ReadAsync(ct))
            {
                var profileId = reader.GetInt64(0);
                if (profileId != current)
                {
                    Flush();
                    current = profileId;
                }
                var (name, path) = (reader.GetString(2), reader.StringOrNull(5));
                if (name == TrackedEvent.PageViewName && !reader.GetBoolean(10) && !needs.Names.Contains(name))
                {
                    // Sent for its path's prefix alone: kept only if the whole pattern matches.
                    var key = path ?? "";
                    if (!pageViews.TryGetValue(key, out var keep))
                    {
                        pageViews[key] = keep = needs.UsesPageView(key);
                    }
                    if (!keep)
                    {
                        continue;
                    }
                }
                events.Add(new EventFact(reader.GetInt64(1), name, FromMillis(reader.GetInt64(3)), reader.StringOrNull(4), path, reader.StringOrNull(6),
                    reader.IsDBNull(9) ? null : EventProperties.TryParse(reader.GetString(9), ref unreadable),
                    reader.IsDBNull(7) ? null : Money.FromStored(reader.GetDouble(7)), reader.StringOrNull(8)));
            }
            Flush();

            void Flush()
            {
                if (events.Count > 0)
                {
                    histories.Add(SqlHistories.Assemble(current, events, changes, recorded, unreadable));
                    (events, unreadable) = ([], null);
                }
            }
        }

        // Profiles known only through property changes or recorded conversions, in id order with the rest.
        var seen = histories.Select(h => h.History.ProfileId).ToHashSet();
        var others = changes.Keys.Concat(recorded.Keys).Where(id => !seen.Contains(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            histories.AddRange(others.Select(id => SqlHistories.Assemble(id, [], changes, recorded)));
            histories.Sort((a, b) => a.History.ProfileId.CompareTo(b.History.ProfileId));
        }
        return histories;
    }

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

using System.Collections.Concurrent;
using GoalsDashboard.Data.Sql;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// The read of all history for a backfill, in two passes in storage order (<see cref="BackfillRead"/>): every event's
/// profile, time and id, from which each profile's first event and the first event at its
/// shared or property-change instants are found in memory; then the events the goals name (<see cref="EventNeeds"/>)
/// and those marked. Sorting every event by profile and time in the database (a window over all of them) took
/// more than the whole backfill's target. Both passes run one share of event ids per core, each on its own connection.
/// </summary>
internal sealed partial class PostgresEventStore
{
    public async Task<IReadOnlyList<IEnumerable<StoredHistory>>> ReadAllHistoriesAsync(IReadOnlyCollection<Guid> goalIds, EventNeeds needs, int parts,
        Action<double>? progress = null, CancellationToken ct = default)
    {
        long maxEventId, maxProfileId;
        Dictionary<long, List<PropertyFact>> changes;
        Dictionary<long, Dictionary<Guid, List<RecordedConversion>>> recorded;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var connection = await OpenAsync(db, ct);
            // One statement, one snapshot; whatever arrives later is marked for live evaluation, which runs after the backfill.
            await using (var command = new NpgsqlCommand("SELECT COALESCE((SELECT max(\"Id\") FROM events), 0), COALESCE((SELECT max(\"Id\") FROM profiles), 0)", connection))
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                (maxEventId, maxProfileId) = (reader.GetInt64(0), reader.GetInt64(1));
            }
            changes = await SqlHistories.ReadChangesAsync(connection, $"\"ProfileId\" <= {maxProfileId}", ct);
            recorded = await SqlHistories.ReadRecordedAsync(connection, goalIds.Count == 0 ? "false"
                : $"\"ProfileId\" <= {maxProfileId} AND \"GoalId\" IN ({string.Join(", ", goalIds.Select(g => $"'{g}'"))})", ct);
        }

        var keys = await Task.WhenAll(ProfileRange.Split(maxEventId, parts).Select(range => ReadKeysAsync(range, maxEventId, maxProfileId, ct)));
        var marked = MarkFirstEvents(keys, maxEventId, maxProfileId, BackfillRead.ChangeInstants(changes));
        progress?.Invoke(0.2);

        var done = 0;
        var unreadable = new ConcurrentDictionary<long, string>();
        var shares = await Task.WhenAll(ProfileRange.Split(maxEventId, parts).Select(async range =>
        {
            var share = await ReadKeptEventsAsync(range, maxEventId, maxProfileId, needs, marked, unreadable, ct);
            progress?.Invoke(0.2 + 0.6 * Interlocked.Increment(ref done) / parts);
            return share;
        }));
        return BackfillRead.Group(shares, maxProfileId, parts, changes, recorded, unreadable);
    }

    private readonly record struct EventOrder(long ProfileId, long Timestamp, long Id);

    /// <summary>Profile, time and id of every event of an id range.</summary>
    private async Task<List<EventOrder>> ReadKeysAsync(ProfileRange range, long maxEventId, long maxProfileId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        var keys = new List<EventOrder>((int)Math.Clamp(Math.Min(range.To - 1, maxEventId) - Math.Max(range.From, 0), 0, int.MaxValue));
        // Read synchronously on a pool thread: awaiting each of three million values costs more than the read.
        return await Task.Run(() =>
        {
            using var command = new NpgsqlCommand($"SELECT \"ProfileId\", \"Timestamp\", \"Id\" FROM events WHERE {IdsIn(range, maxEventId, maxProfileId)}", connection);
            using var reader = command.ExecuteReader();
            for (var rows = 0; reader.Read(); rows++)
            {
                if ((rows & 0xFFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
                keys.Add(new EventOrder(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
            return keys;
        }, ct);
    }

    private static string IdsIn(ProfileRange range, long maxEventId, long maxProfileId) =>
        $"\"Id\" >= {range.From} AND \"Id\" < {range.To} AND \"Id\" <= {maxEventId} AND \"ProfileId\" <= {maxProfileId}";

    /// <summary>Puts the keys in (profile, time, id) order in memory and marks.</summary>
    private static ulong[] MarkFirstEvents(IReadOnlyList<List<EventOrder>> shares, long maxEventId, long maxProfileId, HashSet<(long, long)> instants)
    {
        var (starts, ordered) = BackfillRead.ByProfile(shares, maxProfileId, key => key.ProfileId, key => (key.Timestamp, key.Id));
        var marked = BackfillRead.NewMarks(maxEventId);
        var marker = new BackfillRead.Marker(instants, marked);
        for (var profileId = 0L; profileId <= maxProfileId; profileId++)
        {
            var own = ordered.AsSpan(starts[profileId], starts[profileId + 1] - starts[profileId]);
            own.Sort();
            foreach (var (timestamp, id) in own)
            {
                marker.Visit(profileId, timestamp, id);
            }
        }
        marker.Finish();
        return marked;
    }

    /// <summary>
    /// The events of an id range that the needs name (PostgreSQL filters on the names and the page views' path
    /// prefixes; the whole patterns are decided here) and the marked ones.
    /// </summary>
    private async Task<List<(long ProfileId, EventFact Event)>> ReadKeptEventsAsync(ProfileRange range, long maxEventId, long maxProfileId, EventNeeds needs,
        ulong[] marked, ConcurrentDictionary<long, string> unreadable, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        await using var command = new NpgsqlCommand { Connection = connection };
        var markedIds = new List<long>();
        for (var id = Math.Max(range.From, 0); id < Math.Min(range.To, maxEventId + 1); id++)
        {
            if (BackfillRead.IsMarked(marked, id))
            {
                markedIds.Add(id);
            }
        }
        var used = new List<string> { "\"Id\" = ANY(@marked)" };
        command.Parameters.AddWithValue("marked", markedIds.ToArray());
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
        command.CommandText = $"""
            SELECT "ProfileId", "Id", "Name", "Timestamp", "Site", "Path", "Channel", "RevenueAmount"::float8, "RevenueCurrency",
                   {(needs.WithProperties ? "\"PropertiesJson\"" : "NULL::text")}
            FROM events WHERE {IdsIn(range, maxEventId, maxProfileId)} AND ({string.Join(" OR ", used)})
            """;

        var kept = new List<(long, EventFact)>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Text(NpgsqlDataReader reader, int column)
        {
            if (reader.IsDBNull(column))
            {
                return null;
            }
            // Names, sites, channels and paths repeat endlessly: each distinct text is held once (bounded).
            var text = reader.GetString(column);
            if (strings.TryGetValue(text, out var known))
            {
                return known;
            }
            if (strings.Count < 50_000)
            {
                strings[text] = text;
            }
            return text;
        }
        var pageViews = new Dictionary<string, bool>(StringComparer.Ordinal);
        // Read synchronously on a pool thread, as the keys are.
        return await Task.Run(() =>
        {
            using var reader = command.ExecuteReader();
            for (var rows = 0; reader.Read(); rows++)
            {
                if ((rows & 0xFFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
                var (profileId, id) = (reader.GetInt64(0), reader.GetInt64(1));
                var (name, path) = (Text(reader, 2)!, Text(reader, 5));
                if (name == TrackedEvent.PageViewName && !BackfillRead.IsMarked(marked, id) && !needs.Names.Contains(name))
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
                string? error = null;
                kept.Add((profileId, new EventFact(id, name, FromMillis(reader.GetInt64(3)), Text(reader, 4), path, Text(reader, 6),
                    reader.IsDBNull(9) ? null : EventProperties.TryParse(reader.GetString(9), ref error),
                    reader.IsDBNull(7) ? null : Money.FromStored(reader.GetDouble(7)), Text(reader, 8))));
                if (error is not null)
                {
                    unreadable.TryAdd(profileId, error);
                }
            }
            return kept;
        }, ct);
    }

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

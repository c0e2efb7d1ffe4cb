using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using GoalsDashboard.Data.Sql;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>
/// The read of all history for a backfill, in two passes in storage order (<see cref="BackfillRead"/>):
/// the (ProfileId, Timestamp) index alone, which finds each profile's first event and the first event at its
/// shared or property-change instants, then the table itself in id order, keeping those events and the ones the
/// goal names (<see cref="EventNeeds"/>). Both passes run one share per core, through SQLite's own
/// statements so that the events not kept are never turned into strings. Backfills are rare, so their
/// loops are compiled optimised from the start rather than waiting for the runtime to find them hot.
/// </summary>
internal sealed partial class SqliteEventStore
{
    public async Task<IReadOnlyList<IEnumerable<StoredHistory>>> ReadAllHistoriesAsync(IReadOnlyCollection<Guid> goalIds, EventNeeds needs, int parts, Action<double>? progress = null, CancellationToken ct = default)
    {
        long maxEventId, maxProfileId;
        Dictionary<long, List<PropertyFact>> changes;
        Dictionary<long, Dictionary<Guid, List<RecordedConversion>>> recorded;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var connection = await SqliteConnections.OpenAsync(db, ct);
            await using (var command = connection.CreateCommand())
            {
                // One statement, one snapshot: every event up to maxEventId belongs to a profile up to maxProfileId.
                // Whatever arrives later is marked for live evaluation, which runs after the backfill.
                command.CommandText = "SELECT COALESCE((SELECT MAX(Id) FROM events), 0), COALESCE((SELECT MAX(Id) FROM profiles), 0)";
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                (maxEventId, maxProfileId) = (reader.GetInt64(0), reader.GetInt64(1));
            }
            changes = await SqlHistories.ReadChangesAsync(connection, $"\"ProfileId\" <= {maxProfileId}", ct);
            var goals = string.Join(", ", goalIds.Select(g => $"'{SqliteValues.GoalKey(g)}'"));
            recorded = await SqlHistories.ReadRecordedAsync(connection, $"\"GoalId\" IN ({goals}) AND \"ProfileId\" <= {maxProfileId}", ct);
        }

        var instants = BackfillRead.ChangeInstants(changes);
        var marked = BackfillRead.NewMarks(maxEventId);
        await Task.WhenAll(ProfileRange.Split(maxProfileId, parts).Select(range =>
            OnConnectionAsync(handle => MarkFirstEvents(handle, range, maxEventId, new BackfillRead.Marker(instants, marked), ct), ct)));
        progress?.Invoke(0.2);
        var idsRead = 0L;
        void Read(int ids) => progress?.Invoke(0.2 + 0.6 * Math.Min(1, (double)Interlocked.Add(ref idsRead, ids) / Math.Max(1, maxEventId)));
        var unreadable = new ConcurrentDictionary<long, string>();
        var shares = await Task.WhenAll(ProfileRange.Split(maxEventId, parts).Select(range =>
            OnConnectionAsync(handle => ReadKeptEvents(handle, range, maxEventId, maxProfileId, needs, marked, Read, unreadable, ct), ct)));
        return BackfillRead.Group(shares, maxProfileId, parts, changes, recorded, unreadable);
    }

    private async Task<T> OnConnectionAsync<T>(Func<sqlite3, T> read, CancellationToken ct) => await Task.Run(async () =>
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        try
        {
            return read(connection.Handle!);
        }
        finally
        {
            await using var shrink = connection.CreateCommand();
            shrink.CommandText = "PRAGMA shrink_memory;";
            await shrink.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }, ct);

    /// <summary>
    /// Marks, from the index alone, each profile's first event and the first event at every instant the
    /// profile has more than one event at, or a property change at (EventNeeds' rules 2 and 3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MarkFirstEvents(sqlite3 handle, ProfileRange range, long maxEventId, BackfillRead.Marker marker, CancellationToken ct)
    {
        using var statement = Prepare(handle,
            "SELECT ProfileId, Timestamp, Id FROM events INDEXED BY IX_events_ProfileId_Timestamp " +
            $"WHERE ProfileId >= {range.From} AND ProfileId < {range.To} AND Id <= {maxEventId} ORDER BY ProfileId, Timestamp, Id");
        for (var rows = 0; Step(handle, statement); rows++)
        {
            if ((rows & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            marker.Visit(raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1), raw.sqlite3_column_int64(statement, 2));
        }
        marker.Finish();
        return true;
    }

    /// <summary>
    /// Reads the events of an id range in storage order: those the needs name (SQLite filters on the names
    /// and the page views' path prefixes, which cost it little per row), then the marked events not among them, by id.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<(long ProfileId, EventFact Event)> ReadKeptEvents(sqlite3 handle, ProfileRange range, long maxEventId, long maxProfileId,
        EventNeeds needs, ulong[] marked, Action<int> read, ConcurrentDictionary<long, string> unreadable, CancellationToken ct)
    {
        const string Columns = "Id, ProfileId, Timestamp, Name, Path, Site, Channel, RevenueAmount, RevenueCurrency, ";
        var properties = needs.WithProperties ? "PropertiesJson" : "NULL";
        var parameters = new List<string>();
        string Parameter(string value)
        {
            parameters.Add(value);
            return "?" + parameters.Count;
        }
        var used = new List<string>();
        if (needs.Names.Count > 0)
        {
            used.Add($"Name IN ({string.Join(", ", needs.Names.Select(Parameter))})");
        }
        if (needs.UsesPageViews)
        {
            var prefixes = needs.PathPrefixes.Select(prefix => $"substr(Path, 1, length({Parameter(prefix)})) = ?{parameters.Count}");
            used.Add($"(Name = {Parameter(TrackedEvent.PageViewName)} AND ({string.Join(" OR ", prefixes)}))");
        }

        var kept = new List<(long, EventFact)>();
        var strings = new Interner();
        var pageViews = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (used.Count > 0)
        {
            // NOT INDEXED: by the names' index SQLite would look each row up, out of storage order.
            using var statement = Prepare(handle, $"SELECT {Columns}{properties} FROM events NOT INDEXED " +
                $"WHERE Id >= {range.From} AND Id < {range.To} AND Id <= {maxEventId} AND ({string.Join(" OR ", used)})");
            for (var i = 0; i < parameters.Count; i++)
            {
                raw.sqlite3_bind_text(statement, i + 1, parameters[i]);
            }
            for (var rows = 1; Step(handle, statement); rows++)
            {
                if ((rows & 0xFFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
                var id = raw.sqlite3_column_int64(statement, 0);
                var name = raw.sqlite3_column_blob(statement, 3);
                var keep = needs.UsesName(name);
                if (!keep && name.SequenceEqual(PageView))
                {
                    var path = strings.Text(statement, 4) ?? "";
                    if (!pageViews.TryGetValue(path, out keep))
                    {
                        pageViews[path] = keep = needs.UsesPageView(path);
                    }
                }
                if (BackfillRead.IsMarked(marked, id))
                {
                    // Read here already: the read by id below skips it.
                    BackfillRead.Unmark(marked, id);
                    keep = true;
                }
                if (keep)
                {
                    Keep(statement);
                }
            }
        }
        read((int)Math.Min(int.MaxValue, Math.Min(range.To - 1, maxEventId) - Math.Max(range.From, 0)));

        var rest = new List<long>();
        for (var id = Math.Max(range.From, 0); id < Math.Min(range.To, maxEventId + 1); id++)
        {
            if (BackfillRead.IsMarked(marked, id))
            {
                rest.Add(id);
            }
        }
        if (rest.Count > 0)
        {
            using var statement = Prepare(handle, $"SELECT {Columns}{properties} FROM events WHERE Id IN (SELECT value FROM json_each(?1))");
            raw.sqlite3_bind_text(statement, 1, "[" + string.Join(',', rest) + "]");
            while (Step(handle, statement))
            {
                Keep(statement);
            }
        }
        return kept;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Keep(sqlite3_stmt statement)
        {
            var profileId = raw.sqlite3_column_int64(statement, 1);
            if (profileId > maxProfileId)
            {
                return;
            }
            string? error = null;
            kept.Add((profileId, new EventFact(raw.sqlite3_column_int64(statement, 0), strings.Text(statement, 3)!, FromMillis(raw.sqlite3_column_int64(statement, 2)),
                strings.Text(statement, 5), strings.Text(statement, 4), strings.Text(statement, 6),
                raw.sqlite3_column_type(statement, 9) == raw.SQLITE_NULL ? null : EventProperties.TryParse(raw.sqlite3_column_text(statement, 9).utf8_to_string(), ref error),
                raw.sqlite3_column_type(statement, 7) == raw.SQLITE_NULL ? null : Money.FromStored(raw.sqlite3_column_double(statement, 7)),
                strings.Text(statement, 8))));
            if (error is not null)
            {
                unreadable.TryAdd(profileId, error);
            }
        }
    }

    private static readonly byte[] PageView = Encoding.UTF8.GetBytes(TrackedEvent.PageViewName);

    private static sqlite3_stmt Prepare(sqlite3 handle, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, handle);
        return statement;
    }

    private static bool Step(sqlite3 handle, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, handle);
        }
        return false;
    }

    /// <summary>
    /// Names, sites, channels and paths repeat endlessly: each distinct text becomes one string, looked up
    /// from SQLite's bytes without allocating. Bounded, so that a stream of unique paths cannot grow it for good.
    /// </summary>
    private sealed class Interner
    {
        private const int MaxEntries = 50_000;
        private const int MaxLength = 512;
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private readonly char[] _chars = new char[MaxLength];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public string? Text(sqlite3_stmt statement, int column)
        {
            if (raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL)
            {
                return null;
            }
            var bytes = raw.sqlite3_column_blob(statement, column);
            if (bytes.Length > MaxLength)
            {
                return Encoding.UTF8.GetString(bytes);
            }
            var chars = _chars.AsSpan(0, Encoding.UTF8.GetChars(bytes, _chars));
            if (_strings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var text))
            {
                return text;
            }
            text = new string(chars);
            if (_strings.Count < MaxEntries)
            {
                _strings[text] = text;
            }
            return text;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>The SQLite event store: events, property changes, profiles and audiences in the app's one file.</summary>
internal sealed partial class SqliteEventStore(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, TimeProvider clock) : IEventStore
{
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
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using GoalsDashboard.Domain;
using GoalsDashboard.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Sql;

/// <summary>
/// Reads profile histories with SQL both stores understand (quoted identifiers, standard casts): every event in
/// (profile, time) order, the property changes, and the conversions recorded through the API.
/// </summary>
internal static class SqlHistories
{
    /// <summary>The histories of the given profiles (every profile when null), for a store's <see cref="IEventStore.ReadHistoriesAsync(IReadOnlyCollection{long}?, bool, CancellationToken)"/>.</summary>
    public static IAsyncEnumerable<StoredHistory> ReadAsync(IDbContextFactory<AppDbContext> dbFactory, IReadOnlyCollection<long>? profileIds, bool withEventProperties,
        CancellationToken ct) =>
        ReadWhereAsync(dbFactory, profileIds is null ? null : $"\"ProfileId\" IN ({string.Join(',', profileIds)})", withEventProperties, ct);

    /// <summary>The histories of the profiles in the range, for a store's <see cref="IEventStore.ReadHistoriesAsync(ProfileRange, bool, CancellationToken)"/>.</summary>
    public static IAsyncEnumerable<StoredHistory> ReadAsync(IDbContextFactory<AppDbContext> dbFactory, ProfileRange range, bool withEventProperties, CancellationToken ct) =>
        ReadWhereAsync(dbFactory, $"\"ProfileId\" >= {range.From} AND \"ProfileId\" < {range.To}", withEventProperties, ct);

    public static async Task<long> MaxProfileIdAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Profiles.MaxAsync(p => (long?)p.Id, ct) ?? 0;
    }

    /// <summary>On a context's own connection, opened through EF Core so that the provider's interceptors apply.</summary>
    private static async IAsyncEnumerable<StoredHistory> ReadWhereAsync(IDbContextFactory<AppDbContext> dbFactory, string? where, bool withEventProperties,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await foreach (var history in ReadAsync(db.Database.GetDbConnection(), where, withEventProperties, ct))
        {
            yield return history;
        }
    }

    /// <param name="where">A condition on "ProfileId" (ids are numbers, never user text), or null for every profile.</param>
    public static async IAsyncEnumerable<StoredHistory> ReadAsync(DbConnection connection, string? where, bool withEventProperties,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Property changes and recorded conversions are few: read them whole, then stream the events.
        var changes = await ReadChangesAsync(connection, where, ct);
        var recorded = await ReadRecordedAsync(connection, where, ct);

        var seen = new HashSet<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT \"ProfileId\", \"Id\", \"Name\", \"Timestamp\", \"Site\", \"Path\", \"Channel\", CAST(\"RevenueAmount\" AS DOUBLE PRECISION), \"RevenueCurrency\""
                + (withEventProperties ? ", \"PropertiesJson\"" : "") + $" FROM events{(where is null ? "" : $" WHERE {where}")} ORDER BY \"ProfileId\", \"Timestamp\", \"Id\"";
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
                    reader.StringOrNull(4), reader.StringOrNull(5), reader.StringOrNull(6),
                    withEventProperties && !reader.IsDBNull(9) ? EventProperties.TryParse(reader.GetString(9), ref unreadable) : null,
                    reader.IsDBNull(7) ? null : Money.FromStored(reader.GetDouble(7)), reader.StringOrNull(8)));
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

    /// <param name="where">A condition on "ProfileId", or null for every profile.</param>
    public static async Task<Dictionary<long, List<PropertyFact>>> ReadChangesAsync(DbConnection connection, string? where, CancellationToken ct)
    {
        var changes = new Dictionary<long, List<PropertyFact>>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"ProfileId\", \"Key\", CAST(\"Kind\" AS INTEGER), \"Value\", \"Timestamp\", \"Id\" FROM property_changes"
            + (where is null ? "" : $" WHERE {where}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var profileId = reader.GetInt64(0);
            if (!changes.TryGetValue(profileId, out var list))
            {
                changes[profileId] = list = [];
            }
            var value = new PropertyValue((PropertyValueKind)reader.GetInt32(2), reader.StringOrNull(3));
            list.Add(new PropertyFact(reader.GetString(1), value, FromMillis(reader.GetInt64(4)), reader.GetInt64(5)));
        }
        return changes;
    }

    /// <summary>The conversions recorded through the API (inputs to evaluation), by profile and goal.</summary>
    /// <param name="where">A condition on "ProfileId" and "GoalId", or null for every profile.</param>
    public static async Task<Dictionary<long, Dictionary<Guid, List<RecordedConversion>>>> ReadRecordedAsync(DbConnection connection, string? where, CancellationToken ct)
    {
        var recorded = new Dictionary<long, Dictionary<Guid, List<RecordedConversion>>>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"ProfileId\", \"GoalId\", \"Timestamp\", CAST(\"Source\" AS INTEGER), CAST(\"Value\" AS DOUBLE PRECISION), \"Channel\", \"Site\", \"EventId\" "
            + $"FROM conversions WHERE \"Source\" IN ({(int)ConversionSource.Api},{(int)ConversionSource.Match})" + (where is null ? "" : $" AND {where}");
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

    public static StoredHistory Assemble(long profileId, IReadOnlyList<EventFact> events, Dictionary<long, List<PropertyFact>> changes,
        Dictionary<long, Dictionary<Guid, List<RecordedConversion>>> recorded, string? unreadable = null) =>
        new(new ProfileHistory(profileId, events, changes.GetValueOrDefault(profileId) ?? []),
            recorded.GetValueOrDefault(profileId) ?? (IReadOnlyDictionary<Guid, List<RecordedConversion>>)EmptyRecorded, unreadable);

    public static readonly Dictionary<Guid, List<RecordedConversion>> EmptyRecorded = [];

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

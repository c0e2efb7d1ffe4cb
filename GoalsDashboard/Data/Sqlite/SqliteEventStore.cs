using System.Runtime.CompilerServices;
using System.Text.Json;
using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data.Sql;
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
        ReadHistoriesWhereAsync(profileIds is null ? null : $"\"ProfileId\" IN ({string.Join(',', profileIds)})", withEventProperties, ct);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(ProfileRange range, bool withEventProperties, CancellationToken ct = default) =>
        ReadHistoriesWhereAsync($"\"ProfileId\" >= {range.From} AND \"ProfileId\" < {range.To}", withEventProperties, ct);

    public async Task<long> MaxProfileIdAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Profiles.MaxAsync(p => (long?)p.Id, ct) ?? 0;
    }

    /// <param name="where">A condition on "ProfileId" (ids are numbers, never user text), or null for every profile.</param>
    private async IAsyncEnumerable<StoredHistory> ReadHistoriesWhereAsync(string? where, bool withEventProperties,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await SqliteConnections.OpenAsync(db, ct);
        await foreach (var history in SqlHistories.ReadAsync(connection, where, withEventProperties, ct))
        {
            yield return history;
        }
    }
}

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
internal sealed partial class SqliteEventStore(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, TimeProvider clock, SqliteWriteGate gate) : IEventStore
{
    private static long? Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(IReadOnlyCollection<long>? profileIds, bool withEventProperties, CancellationToken ct = default) =>
        SqlHistories.ReadAsync(dbFactory, profileIds, withEventProperties, ct);

    public IAsyncEnumerable<StoredHistory> ReadHistoriesAsync(ProfileRange range, bool withEventProperties, CancellationToken ct = default) =>
        SqlHistories.ReadAsync(dbFactory, range, withEventProperties, ct);

    public Task<long> MaxProfileIdAsync(CancellationToken ct = default) => SqlHistories.MaxProfileIdAsync(dbFactory, ct);
}

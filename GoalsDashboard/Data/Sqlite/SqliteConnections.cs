using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>How the stores open a context's connection: through EF Core, so <see cref="SqlitePragmas"/> applies to them too.</summary>
internal static class SqliteConnections
{
    public static async Task<SqliteConnection> OpenAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return (SqliteConnection)db.Database.GetDbConnection();
    }
}

/// <summary>How the stores write and read values the way EF Core's SQLite provider stores them.</summary>
internal static class SqliteValues
{
    /// <summary>EF Core's SQLite provider stores Guids as upper-case text.</summary>
    public static string GoalKey(Guid goalId) => goalId.ToString().ToUpperInvariant();
}

/// <summary>
/// Per-connection settings. SQLite's default page cache is 2 MB per connection; ingestion inserts into
/// the events' indexes and re-reads the touched profiles' histories, so a larger cache keeps the pages
/// it keeps coming back to in the connection (pooled connections keep it between requests) instead of
/// re-reading them from the file. 4 MB, not more: every pooled connection fills its own, and at 16 MB the
/// caches of the half-dozen connections busy during ingestion put the app over its 400 MB at 1M events
/// (docs/benchmarks.md), while the pages they missed came from the operating system's cache at no
/// measurable cost. Reads that walk a large range once give theirs back afterwards
/// (<c>PRAGMA shrink_memory</c>), so that every pooled connection does not end up holding a full cache.
/// A writer that finds another one writing waits inside SQLite (busy_timeout, short sleeps) rather than in
/// Microsoft.Data.Sqlite's retry loop, which blocks its thread for 150 ms at a time. The write-ahead log is cut back
/// to 64 MB whenever it starts again (<see cref="SqliteCheckpointer"/>).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Sql = "PRAGMA cache_size = -4096; PRAGMA busy_timeout = 30000; PRAGMA journal_size_limit = 67108864;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

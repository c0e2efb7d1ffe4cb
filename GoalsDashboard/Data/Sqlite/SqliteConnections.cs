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
/// Per-connection settings. The page cache stays at SQLite's usual 2 MB per connection: every pooled
/// connection fills its own, and at 16 MB the caches of the half-dozen connections busy during ingestion
/// held some 50 MB more and put the app over its 400 MB at 1M events, for no ingestion rate that this
/// machine could tell from its run-to-run spread (docs/benchmarks.md, eleventh session); the pages a
/// connection misses come from the operating system's file cache. Reads that walk a large range once give
/// theirs back afterwards (<c>PRAGMA shrink_memory</c>).
/// A writer that finds another one writing waits inside SQLite (busy_timeout, short sleeps) rather than in
/// Microsoft.Data.Sqlite's retry loop, which blocks its thread for 150 ms at a time. The write-ahead log is cut back
/// to 64 MB whenever it starts again (<see cref="SqliteCheckpointer"/>), which is the only one to copy it back: SQLite's
/// own checkpoint would run inside whichever commit found the log long, ingestion's or live evaluation's.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Sql = "PRAGMA cache_size = -2048; PRAGMA busy_timeout = 30000; PRAGMA journal_size_limit = 67108864; PRAGMA wal_autocheckpoint = 0;";

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

using System.Data.Common;
using GoalsDashboard.Data.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>SQLite's answers to the shared SQL's questions.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public async Task<DbConnection> OpenAsync(AppDbContext db, CancellationToken ct) => await SqliteConnections.OpenAsync(db, ct);

    public async Task MigrateAsync(AppDbContext db, CancellationToken ct)
    {
        var csb = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        var folder = Path.GetDirectoryName(csb.DataSource);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        if (csb.Mode == SqliteOpenMode.ReadWrite && !File.Exists(csb.DataSource))
        {
            // The app's connections never create the file (see SqliteDatabaseFile); this is where it is made.
            csb.Mode = SqliteOpenMode.ReadWriteCreate;
            csb.Pooling = false;
            await using var create = new SqliteConnection(csb.ToString());
            await create.OpenAsync(ct);
        }
        await db.Database.MigrateAsync(ct);
        // WAL lets the dashboard read while ingestion writes; the setting is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    public object GoalKey(Guid goalId) => SqliteValues.GoalKey(goalId);

    /// <summary>Every pooled connection would otherwise keep a full page cache after one large read.</summary>
    public async Task AfterLargeReadAsync(DbConnection connection, CancellationToken ct)
    {
        await using var shrink = connection.CreateCommand();
        shrink.CommandText = "PRAGMA shrink_memory;";
        await shrink.ExecuteNonQueryAsync(ct);
    }
}

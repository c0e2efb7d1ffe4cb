using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Sqlite;

/// <summary>How the stores open a context's connection: through EF Core, which owns the connection string and the pool.</summary>
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

    public static string? StringOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? LongOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static double? DoubleOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}

using System.Data.Common;
using GoalsDashboard.Data.Sql;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data.Postgres;

/// <summary>PostgreSQL's answers to the shared SQL's questions.</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    public async Task<DbConnection> OpenAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return db.Database.GetDbConnection();
    }

    /// <summary>EF Core creates the database when it is missing, and holds a lock while migrating, so instances starting together take turns.</summary>
    public Task MigrateAsync(AppDbContext db, CancellationToken ct) => db.Database.MigrateAsync(ct);

    public object GoalKey(Guid goalId) => goalId;

    public string ConversionsByProfileIndex => "";

    public Task AfterLargeReadAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;
}

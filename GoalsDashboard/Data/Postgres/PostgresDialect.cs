using System.Data.Common;
using GoalsDashboard.Data.Sql;
using GoalsDashboard.Data.Cluster;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace GoalsDashboard.Data.Postgres;

/// <summary>PostgreSQL's answers to the shared SQL's questions.</summary>
internal sealed class PostgresDialect(IClusterLocks locks) : ISqlDialect
{
    public async Task<DbConnection> OpenAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return db.Database.GetDbConnection();
    }

    /// <summary>
    /// Creates the database when it is missing, then migrates under an advisory lock: instances starting together
    /// take turns, and the later ones find the migrations applied (EF Core's own migration lock did not stop two
    /// instances from applying the same migration here).
    /// </summary>
    public async Task MigrateAsync(AppDbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct))
        {
            try
            {
                await creator.CreateAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another instance made it first.
            }
        }
        await using var turn = await locks.LockAsync("migrate", ct);
        await db.Database.MigrateAsync(ct);
    }

    public object GoalKey(Guid goalId) => goalId;

    public Task AfterLargeReadAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;
}

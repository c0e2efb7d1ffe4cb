using System.Data.Common;

namespace GoalsDashboard.Data.Sql;

/// <summary>What the stores' shared SQL needs to know of a provider: the rest of that SQL is the same on SQLite and PostgreSQL.</summary>
internal interface ISqlDialect
{
    /// <summary>Opens the context's connection (through EF Core, so its interceptors apply).</summary>
    Task<DbConnection> OpenAsync(AppDbContext db, CancellationToken ct);

    /// <summary>Brings the database to the newest migration, with what the provider needs around that (creating the file, the database).</summary>
    Task MigrateAsync(AppDbContext db, CancellationToken ct);

    /// <summary>A goal id as the provider stores it (SQLite: upper-case text; PostgreSQL: uuid).</summary>
    object GoalKey(Guid goalId);

    /// <summary>After a large range was read once (a load into memory): gives the connection's cache back where that matters.</summary>
    Task AfterLargeReadAsync(DbConnection connection, CancellationToken ct);
}

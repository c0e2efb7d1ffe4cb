using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GoalsDashboard.Data.Postgres;

/// <summary>
/// The PostgreSQL model, with its own migrations (Data/Postgres/Migrations): the product's tables as in
/// <see cref="AppDbContext"/>, laid out so that they can be distributed by profile on Citus
/// (docs/decisions/ADR-004-postgresql.md): every per-profile table's key includes the profile, and the two
/// lookups that must stay unique across the workspace (a client's profile id, an event id) have tables of their own.
/// </summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options)
{
    /// <summary>The tables distributed by profile on Citus: each one's key and unique indexes include <c>ProfileId</c>.</summary>
    public static readonly IReadOnlyList<string> PerProfileTables =
        ["profiles", "events", "property_changes", "profile_properties", "completions", "conversions", "audience_entries", "pending_evaluations"];

    public DbSet<ProfileKey> ProfileKeys => Set<ProfileKey>();
    public DbSet<EventKey> EventKeys => Set<EventKey>();

    /// <summary>Money is PostgreSQL's exact <c>numeric</c>; it is read back as a double, as SQLite stores it, so figures agree.</summary>
    protected override void ConfigureMoney(ModelConfigurationBuilder builder)
    {
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<Profile>(e =>
        {
            // Unique through profile_keys; here only an index for lookups by the client's id.
            e.HasIndex(p => p.ExternalId).IsUnique(false);
        });
        b.Entity<ProfileKey>(e =>
        {
            e.ToTable("profile_keys");
            e.HasKey(k => k.ExternalId);
        });

        b.Entity<TrackedEvent>(e =>
        {
            e.HasKey(x => new { x.ProfileId, x.Id });
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            // Unique through event_keys.
            e.HasIndex(x => x.EventId).IsUnique(false).HasFilter("\"EventId\" IS NOT NULL");
            e.HasIndex(x => x.Id);
        });
        b.Entity<EventKey>(e =>
        {
            e.ToTable("event_keys");
            e.HasKey(k => k.EventId);
        });

        b.Entity<PropertyChange>(e =>
        {
            e.HasKey(x => new { x.ProfileId, x.Id });
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
        });

        b.Entity<Conversion>(e =>
        {
            e.HasKey(x => new { x.ProfileId, x.Id });
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
        });

        b.Entity<ChangeRecord>(e => e.Property(c => c.Seq).UseIdentityByDefaultColumn());
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server (adding a migration connects to nothing).</summary>
internal sealed class PostgresDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=goalsdashboard_design").Options);
}

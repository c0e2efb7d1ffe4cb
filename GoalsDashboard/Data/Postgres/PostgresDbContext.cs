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
    /// <summary>
    /// The tables distributed by profile on Citus (deploy/citus/distribute.sql): each one's key and unique indexes
    /// include the profile (<c>profiles.Id</c>, elsewhere <c>ProfileId</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> PerProfileTables =
        ["profiles", "events", "property_changes", "profile_properties", "completions", "conversions", "audience_entries", "pending_evaluations"];

    /// <summary>Lookups unique across the workspace, distributed by their own (single-column) key.</summary>
    public static readonly IReadOnlyList<string> LookupTables = ["profile_keys", "event_keys"];

    /// <summary>Small tables copied to every node.</summary>
    public static readonly IReadOnlyList<string> ReferenceTables =
    [
        "goals", "goal_campaigns", "campaigns", "segments", "funnels", "funnel_steps", "sites", "event_names", "workspace_settings", "api_tokens", "history", "counters", "annotations",
        "AspNetUsers", "AspNetRoles", "AspNetUserRoles", "AspNetUserClaims", "AspNetRoleClaims", "AspNetUserLogins", "AspNetUserTokens",
    ];

    /// <summary>Kept on the coordinator: the change log is one ordered sequence that every app instance reads.</summary>
    public static readonly IReadOnlyList<string> CoordinatorTables = ["changes", "backfill_progress", "data_protection_keys", "rate_buckets"];

    /// <summary>The column a per-profile table is distributed by.</summary>
    public static string ProfileColumn(string table) => table == "profiles" ? "Id" : "ProfileId";

    public const string ClaimedBy = "ClaimedBy";
    public const string ClaimedUntil = "ClaimedUntil";

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
            // Ingestion moves a profile's first seen earlier whenever an earlier event arrives. Nothing reads profiles by
            // it (first-seen times are read whole, once, at start), so without its index, and with room left on each
            // page, such a move can rewrite the row in place without touching any index (a HOT update).
            e.Metadata.RemoveIndex(e.Metadata.FindIndex([e.Metadata.FindProperty(nameof(Profile.FirstSeenAt))!])!);
            e.HasStorageParameter("fillfactor", 80);
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
            // Event ids are unique through event_keys, and nothing looks an event up by its id; a profile's events are
            // read through the key. Each of these two indexes, kept on SQLite, cost a quarter of an insert's time here
            // (docs/benchmarks.md, fourteenth session).
            e.Metadata.RemoveIndex(e.Metadata.FindIndex([e.Metadata.FindProperty(nameof(TrackedEvent.EventId))!])!);
            e.Metadata.RemoveIndex(e.Metadata.FindIndex([e.Metadata.FindProperty(nameof(TrackedEvent.ProfileId))!, e.Metadata.FindProperty(nameof(TrackedEvent.Timestamp))!])!);
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

        // Results name their goal without a foreign key: checking it row by row was a third of a backfill's write.
        // A goal's results are deleted with it (GoalService.DeleteAsync), and every result write first locks the goals
        // it writes for, so none is left behind (docs/decisions/ADR-004-postgresql.md, "Results and their goals").
        foreach (var results in new[] { b.Entity<Completion>().Metadata, b.Entity<Conversion>().Metadata })
        {
            foreach (var goal in results.GetForeignKeys().Where(k => k.PrincipalEntityType.ClrType == typeof(Goal)).ToList())
            {
                results.RemoveForeignKey(goal);
            }
        }

        b.Entity<ChangeRecord>(e => e.Property(c => c.Seq).UseIdentityByDefaultColumn());

        // Which instance evaluates a pending profile, until when (docs/decisions/ADR-005-several-instances.md).
        b.Entity<PendingEvaluation>(e =>
        {
            e.Property<Guid?>(ClaimedBy);
            e.Property<long?>(ClaimedUntil);
        });

        b.Entity<RateBucket>(e =>
        {
            e.ToTable("rate_buckets");
            e.HasKey(r => r.Partition);
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server (adding a migration connects to nothing).</summary>
internal sealed class PostgresDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=goalsdashboard_design").Options);
}

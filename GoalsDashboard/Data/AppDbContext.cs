using GoalsDashboard.Data.Changes;
using GoalsDashboard.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GoalsDashboard.Data;

/// <summary>
/// The product's tables and Identity's. This model is SQLite's (its migrations are in Data/Migrations);
/// PostgreSQL's derives from it (<see cref="Postgres.PostgresDbContext"/>, docs/decisions/ADR-004-postgresql.md).
/// </summary>
public class AppDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context (its own migrations).</summary>
    protected AppDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Profile> Profiles => Set<Profile>();
    public DbSet<ProfileProperty> ProfileProperties => Set<ProfileProperty>();
    public DbSet<PropertyChange> PropertyChanges => Set<PropertyChange>();
    public DbSet<TrackedEvent> Events => Set<TrackedEvent>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<EventName> EventNames => Set<EventName>();
    public DbSet<Goal> Goals => Set<Goal>();
    public DbSet<GoalCampaign> GoalCampaigns => Set<GoalCampaign>();
    public DbSet<Completion> Completions => Set<Completion>();
    public DbSet<Conversion> Conversions => Set<Conversion>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<AudienceEntry> AudienceEntries => Set<AudienceEntry>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<Funnel> Funnels => Set<Funnel>();
    public DbSet<FunnelStep> FunnelSteps => Set<FunnelStep>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<WorkspaceSetting> WorkspaceSettings => Set<WorkspaceSetting>();
    public DbSet<PendingEvaluation> PendingEvaluations => Set<PendingEvaluation>();
    public DbSet<ChangeRecord> Changes => Set<ChangeRecord>();
    public DbSet<BackfillProgress> BackfillProgress => Set<BackfillProgress>();
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<HistoryEntry> History => Set<HistoryEntry>();
    public DbSet<Annotation> Annotations => Set<Annotation>();

    /// <summary>The sign-in cookies' keys, shared by every instance (docs/decisions/ADR-005-several-instances.md).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Instants are stored as Unix milliseconds (UTC): they sort and compare as integers on every
        // provider, which the analytics range scans and the raw-SQL ingestion path rely on.
        builder.Properties<DateTimeOffset>().HaveConversion<UnixMillisConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisConverter>();
        ConfigureMoney(builder);
    }

    /// <summary>SQLite has no decimal type: money is stored as a real number.</summary>
    protected virtual void ConfigureMoney(ModelConfigurationBuilder builder)
    {
        builder.Properties<decimal>().HaveConversion<StoredMoneyConverter>();
        builder.Properties<decimal?>().HaveConversion<StoredMoneyConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<Profile>(e =>
        {
            e.ToTable("profiles");
            e.HasIndex(p => p.ExternalId).IsUnique();
            e.Property(p => p.ExternalId).HasMaxLength(Profile.MaxExternalIdLength);
            e.HasIndex(p => p.FirstSeenAt);
        });

        // Per-profile tables lead with ProfileId so that they can later be sharded by profile.
        b.Entity<ProfileProperty>(e =>
        {
            e.ToTable("profile_properties");
            e.HasKey(p => new { p.ProfileId, p.Key });
            e.HasIndex(p => new { p.Key, p.Value });
        });

        b.Entity<PropertyChange>(e =>
        {
            e.ToTable("property_changes");
            e.HasIndex(p => new { p.ProfileId, p.Key, p.Timestamp });
            e.HasIndex(p => p.Timestamp);
        });

        b.Entity<TrackedEvent>(e =>
        {
            e.ToTable("events");
            e.HasIndex(x => x.EventId).IsUnique().HasFilter("\"EventId\" IS NOT NULL");
            e.HasIndex(x => new { x.ProfileId, x.Timestamp });
            // No index by time or by name: active profiles come from the in-memory daily activity, names from
            // event_names, and each such index cost about a sixth of ingestion's rate (docs/benchmarks.md).
            e.HasIndex(x => new { x.Campaign, x.ProfileId, x.Timestamp }).HasFilter("\"Campaign\" IS NOT NULL");
        });

        b.Entity<Site>(e =>
        {
            e.ToTable("sites");
            e.HasKey(s => s.Key);
        });
        b.Entity<EventName>(e =>
        {
            e.ToTable("event_names");
            e.HasKey(n => n.Name);
        });

        b.Entity<Goal>(e =>
        {
            e.ToTable("goals");
            e.HasIndex(g => g.NormalizedName).IsUnique();
            e.HasIndex(g => g.Number).IsUnique();
            e.HasIndex(g => new { g.Status, g.CreatedAt });
            e.Property(g => g.Name).HasMaxLength(GoalRules.MaxNameLength);
            e.Property(g => g.Version).IsConcurrencyToken();
            e.Property(g => g.Type).HasConversion<string>();
            e.Property(g => g.Status).HasConversion<string>();
            Json(e.Property(g => g.Groups));
            Json(e.Property(g => g.Window));
            Json(e.Property(g => g.Sites));
            e.HasMany(g => g.CampaignLinks).WithOne().HasForeignKey(l => l.GoalId).OnDelete(DeleteBehavior.Cascade);
            e.Ignore(g => g.IsEvaluating);
        });

        b.Entity<GoalCampaign>(e =>
        {
            e.ToTable("goal_campaigns");
            e.HasKey(l => new { l.GoalId, l.CampaignId });
            e.HasOne<Campaign>().WithMany().HasForeignKey(l => l.CampaignId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Completion>(e =>
        {
            e.ToTable("completions");
            e.HasKey(c => new { c.GoalId, c.ProfileId });
            // Covering: a goal's completions in a period are read from the index alone, in order.
            e.HasIndex(c => new { c.GoalId, c.CompletedAt, c.ProfileId, c.Channel, c.Site, c.Value });
            e.HasIndex(c => c.ProfileId);
            e.HasOne<Goal>().WithMany().HasForeignKey(c => c.GoalId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Conversion>(e =>
        {
            e.ToTable("conversions");
            e.HasIndex(c => new { c.GoalId, c.Timestamp, c.ProfileId, c.Channel, c.Site, c.Value, c.Source });
            // Two indexes, not four: every conversion written updates each, and live evaluation writes as many
            // conversions as ingestion writes events. By profile, UX_conversions_once (a migration's SQL, ProfileId
            // first) serves; a goal's conversions by time, the covering index above (docs/benchmarks.md, thirteenth session).
            e.HasOne<Goal>().WithMany().HasForeignKey(c => c.GoalId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Campaign>(e =>
        {
            e.ToTable("campaigns");
            e.HasIndex(c => c.Key).IsUnique();
        });

        b.Entity<AudienceEntry>(e =>
        {
            e.ToTable("audience_entries");
            e.HasKey(a => new { a.CampaignId, a.ProfileId });
            e.HasIndex(a => new { a.CampaignId, a.EnteredAt });
            e.HasIndex(a => a.ProfileId);
            e.HasOne<Campaign>().WithMany().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Segment>(e =>
        {
            e.ToTable("segments");
            e.HasIndex(s => s.Name).IsUnique();
            Json(e.Property(s => s.Conditions));
        });

        b.Entity<Funnel>(e =>
        {
            e.ToTable("funnels");
            Json(e.Property(f => f.Window));
            e.HasMany(f => f.Steps).WithOne().HasForeignKey(s => s.FunnelId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<FunnelStep>(e =>
        {
            e.ToTable("funnel_steps");
            e.HasKey(s => new { s.FunnelId, s.Position });
            e.HasIndex(s => s.GoalId);
            Json(e.Property(s => s.Window));
            e.HasOne<Goal>().WithMany().HasForeignKey(s => s.GoalId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasIndex(t => t.SecretHash).IsUnique();
        });

        b.Entity<PendingEvaluation>(e =>
        {
            e.ToTable("pending_evaluations");
            e.HasKey(p => p.ProfileId);
            e.Property(p => p.ProfileId).ValueGeneratedNever();
        });

        b.Entity<ChangeRecord>(e =>
        {
            e.ToTable("changes");
            e.HasKey(c => c.Seq);
            // Never reused, even after pruning: a follower tells changes apart by number.
            e.Property(c => c.Seq).ValueGeneratedOnAdd();
            e.Property(c => c.Kind).HasConversion<int>();
            e.HasIndex(c => c.At);
        });

        b.Entity<BackfillProgress>(e =>
        {
            e.ToTable("backfill_progress");
            e.HasKey(p => p.GoalId);
        });

        b.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys"));

        b.Entity<HistoryEntry>(e =>
        {
            e.ToTable("history");
            e.HasIndex(h => new { h.Subject, h.SubjectId, h.At });
        });

        b.Entity<Annotation>(e =>
        {
            e.ToTable("annotations");
            e.Property(a => a.Text).HasMaxLength(Annotation.MaxTextLength);
            e.HasIndex(a => a.Date);
        });

        b.Entity<Counter>(e =>
        {
            e.ToTable("counters");
            e.HasKey(c => c.Name);
        });

        b.Entity<WorkspaceSetting>(e =>
        {
            e.ToTable("workspace_settings");
            e.HasKey(s => s.Key);
        });
    }

    protected static void Json<T>(PropertyBuilder<T> property)
    {
        property.HasConversion(JsonColumn.Converter<T>(), JsonColumn.Comparer<T>());
    }

    /// <summary>Money as a real number; a stored value no build accepts reads as 0 instead of overflowing (see <see cref="Money"/>).</summary>
    private sealed class StoredMoneyConverter() : ValueConverter<decimal, double>(
        v => (double)v,
        v => Money.FromStoredOrZero(v));

    private sealed class UnixMillisConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model on its own (the PostgreSQL model derives from it and has a factory too).</summary>
internal sealed class AppDbContextDesignFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=goalsdashboard_design.db").Options);
}

using GoalsDashboard.Domain;
using GoalsDashboard.Services;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data;

/// <summary>Fills an empty workspace with the demo data of <see cref="DemoData"/>; does nothing when any profile or goal exists.</summary>
public sealed class DemoSeeder(
    IDbContextFactory<AppDbContext> dbFactory,
    IIngestionStore store,
    GoalService goals,
    TimeProvider clock)
{
    public const string SeedUser = "demo";

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Profiles.AnyAsync(ct) || await db.Goals.AnyAsync(ct))
            {
                return false;
            }
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            foreach (var (name, key, channel, start, end) in DemoData.CampaignSpecs)
            {
                db.Campaigns.Add(new Campaign
                {
                    Name = name, Key = key, Channel = channel,
                    StartsOn = today.AddDays(-start), EndsOn = end is { } e ? today.AddDays(-e) : null,
                    CreatedAt = now.AddDays(-start - 2), CreatedBy = SeedUser, UpdatedAt = now.AddDays(-start - 2), UpdatedBy = SeedUser,
                });
            }
            foreach (var (name, conditions) in DemoData.Segments())
            {
                db.Segments.Add(new Segment { Name = name, Conditions = conditions, CreatedAt = now, CreatedBy = SeedUser, UpdatedAt = now, UpdatedBy = SeedUser });
            }
            await db.SaveChangesAsync(ct);
        }

        var load = new DemoData(now).Generate();
        await store.BulkLoadAsync(load, ct);

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var site in load.Events.Where(e => e.Site is not null).GroupBy(e => e.Site!))
            {
                db.Sites.Add(new Site { Key = site.Key, FirstSeenAt = site.Min(e => e.Timestamp), Label = site.Key == DemoData.AppSite ? "Web app" : "Marketing site" });
            }
            await db.SaveChangesAsync(ct);
        }

        foreach (var draft in DemoData.Goals())
        {
            await goals.CreateAsync(draft, SeedUser, ct);
        }
        return true;
    }
}

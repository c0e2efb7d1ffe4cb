using GoalsDashboard.Domain;
using GoalsDashboard.Ingestion;
using GoalsDashboard.Services;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Data;

/// <summary>Fills an empty workspace with the demo data of <see cref="DemoData"/>; does nothing when any profile or goal exists.</summary>
public sealed class DemoSeeder(
    IDbContextFactory<AppDbContext> dbFactory,
    IEventStore store,
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

        var created = new Dictionary<string, Guid>();
        foreach (var draft in DemoData.Goals())
        {
            created[draft.Name!] = (await goals.CreateAsync(draft, SeedUser, ct)).Id;
        }
        // The journey the demo's goals describe, as a funnel: trial within two weeks of signing up.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            string[] journey = ["Trial Signup Completed", "Trial Started", "Workspace Activated", "First Purchase Made"];
            db.Funnels.Add(new Funnel
            {
                Name = "Signup to first purchase",
                Window = new FunnelWindow(60, WindowUnit.Days),
                Steps = journey.Select((name, i) => new FunnelStep { Position = i, GoalId = created[name], Window = i == 1 ? new FunnelWindow(14, WindowUnit.Days) : null }).ToList(),
                CreatedAt = now, CreatedBy = SeedUser, UpdatedAt = now, UpdatedBy = SeedUser,
            });
            await db.SaveChangesAsync(ct);
        }

        // The demo data goes through the same ingestion path as tracked data, so live evaluation
        // computes the seeded goals' completions exactly as it would for real traffic.
        var load = new DemoData(now).Generate();
        var externalIds = load.Profiles.ToDictionary(p => p.Id, p => p.ExternalId);
        var properties = load.PropertyChanges.GroupBy(c => (c.ProfileId, c.Timestamp)).OrderBy(g => g.Key.Timestamp)
            .Select(g => new ProfilePropertyChanges(externalIds[g.Key.ProfileId], g.Select(c => new IncomingPropertyChange(c.Key, new PropertyValue(c.Kind, c.Value))).ToList(), g.Key.Timestamp))
            .ToList();
        foreach (var batch in properties.Chunk(IngestionLimits.MaxBatch))
        {
            await store.SetPropertiesAsync(batch, ct);
        }
        foreach (var batch in load.Events.Chunk(IngestionLimits.MaxBatch))
        {
            await store.IngestEventsAsync(batch.Select(e => new IncomingEvent(e.EventId, externalIds[e.ProfileId], e.Name, e.Timestamp, e.Site, e.Path,
                e.Channel, e.Campaign, e.PropertiesJson, e.RevenueAmount, e.RevenueCurrency)).ToList(), now, ct);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var site in await db.Sites.ToListAsync(ct))
            {
                site.Label = site.Key == DemoData.AppSite ? "Web app" : "Marketing site";
            }
            await db.SaveChangesAsync(ct);
        }
        return true;
    }
}

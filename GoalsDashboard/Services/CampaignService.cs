using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>Campaigns, their audiences and their links to goals, shared by the dashboard and the API.</summary>
public sealed class CampaignService(IDbContextFactory<AppDbContext> dbFactory, IEventStore store, AnalyticsService analytics, TimeProvider clock,
    BackfillQueue backfill)
{
    public async Task<IReadOnlyList<CampaignListItem>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var links = await LinksAsync(db, null, ct);
        var result = new List<CampaignListItem>(campaigns.Count);
        var sizes = await analytics.AudienceSizesAsync(ct);
        foreach (var campaign in campaigns)
        {
            // Attribution is the goals' figures with the campaign as the filter, over the campaign's own run.
            var period = await SinceStartAsync(campaign, ct);
            var goals = links.Where(l => l.CampaignId == campaign.Id).Select(l => l.Goal).ToList();
            var stats = (await analytics.CompareAsync(goals.Select(g => g.Id).ToList(), period with { Filters = new Analytics.AnalyticsFilters(Campaign: campaign.Key) }, ct))
                .ToDictionary(s => s.GoalId);
            var attributed = goals.Where(g => stats.ContainsKey(g.Id))
                .Select(g => new AttributedGoal(g.Id, g.Name, g.Status, g.TargetRate, stats[g.Id].Completions, stats[g.Id].Conversions, stats[g.Id].CompletionRate))
                .ToList();
            result.Add(new CampaignListItem(campaign, sizes.GetValueOrDefault(campaign.Id), attributed, period.From, period.To));
        }
        return result;
    }

    public async Task<Campaign?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
    }

    public async Task<Campaign?> GetAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, ct);
    }

    /// <summary>The goals linked to a campaign, by name.</summary>
    public async Task<IReadOnlyList<LinkedGoal>> LinkedGoalsAsync(int campaignId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await LinksAsync(db, campaignId, ct)).Select(l => l.Goal).ToList();
    }

    /// <summary>Campaign ids by key.</summary>
    public async Task<IReadOnlyDictionary<string, int>> IdsByKeyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Key, c => c.Id, ct);
    }

    public async Task<int> AudienceSizeAsync(int campaignId, CancellationToken ct = default) =>
        (await analytics.AudienceSizesAsync(ct)).GetValueOrDefault(campaignId);

    /// <summary>Whether stored events carry the campaign's key: from then on the key cannot change.</summary>
    public async Task<bool> KeyInUseAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Events.AnyAsync(e => e.Campaign == key, ct);
    }

    /// <summary>
    /// The campaign's own period: from its start (or its earliest audience entry, if earlier) to today,
    /// at most <see cref="AnalyticsService.MaxDays"/> days.
    /// </summary>
    public async Task<Analytics.AnalyticsQuery> SinceStartAsync(Campaign campaign, CancellationToken ct = default)
    {
        var today = analytics.Today;
        var first = await analytics.FirstEntryAsync(campaign.Key, ct);
        var from = new[] { campaign.StartsOn, first }.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(today).Min();
        from = from > today ? today : from < today.AddDays(1 - AnalyticsService.MaxDays) ? today.AddDays(1 - AnalyticsService.MaxDays) : from;
        return new Analytics.AnalyticsQuery(from, today);
    }

    public async Task<Campaign> CreateAsync(CampaignDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = CampaignRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await CheckUniqueKeyAsync(db, normalized.Key!, null, ct);
        var now = clock.GetUtcNow();
        var campaign = new Campaign { CreatedAt = now, CreatedBy = user };
        Apply(campaign, normalized, user, now);
        db.Campaigns.Add(campaign);
        await SaveAsync(db, normalized.Key!, ct);
        // Events may have carried the key before the campaign was defined.
        await store.RebuildAudienceFromEventsAsync(campaign.Id, campaign.Key, ct);
        return campaign;
    }

    public async Task<Campaign> UpdateAsync(int id, CampaignDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = CampaignRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new KeyNotFoundException($"There is no campaign {id}.");
        var keyChanged = !string.Equals(campaign.Key, normalized.Key, StringComparison.Ordinal);
        if (keyChanged)
        {
            if (await db.Events.AnyAsync(e => e.Campaign == campaign.Key, ct))
            {
                throw new DomainValidationException("key",
                    $"Events already carry the key \"{campaign.Key}\", so it cannot change: their audience and attribution depend on it. Create a new campaign for a new key.");
            }
            await CheckUniqueKeyAsync(db, normalized.Key!, id, ct);
        }
        Apply(campaign, normalized, user, clock.GetUtcNow());
        await SaveAsync(db, normalized.Key!, ct);
        if (keyChanged)
        {
            await store.RebuildAudienceFromEventsAsync(campaign.Id, campaign.Key, ct);
            await NewVersionOfLinkedGoalsAsync(db, campaign.Id, ct);
        }
        return campaign;
    }

    /// <summary>Deletes a campaign with its audience and goal links; events keep their campaign field.</summary>
    public async Task DeleteAsync(int id, string? user = null, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new KeyNotFoundException($"There is no campaign {id}.");
        await NewVersionOfLinkedGoalsAsync(db, id, ct);
        db.Campaigns.Remove(campaign);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Checks every row first (errors keyed <c>entries[i].field</c>, i from 0) and imports nothing
    /// unless all are valid. A row without an entry time entered now.
    /// </summary>
    public async Task<int> ImportAudienceAsync(int campaignId, IReadOnlyList<AudienceImportRow> rows, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (rows.Count == 0)
        {
            errors.Add("entries", "Send at least one entry.");
        }
        else if (rows.Count > CampaignRules.MaxAudienceImport)
        {
            errors.Add("entries", $"Send at most {CampaignRules.MaxAudienceImport:N0} entries at once; this import has {rows.Count:N0}. Split it into several.");
        }
        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        CheckRows(rows, now, errors);
        errors.ThrowIfAny();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
            {
                throw new KeyNotFoundException($"There is no campaign {campaignId}.");
            }
        }
        var entries = rows.Select(r => (r.ProfileId!.Trim(), r.EnteredAt ?? now)).ToList();
        await store.ImportAudienceAsync(campaignId, entries, now, ct);
        return entries.Count;
    }

    /// <summary>The per-row rules of an audience import (errors keyed <c>entries[i].field</c>).</summary>
    public static void CheckRows(IReadOnlyList<AudienceImportRow> rows, DateTimeOffset now, ValidationErrors errors)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var id = rows[i].ProfileId?.Trim() ?? "";
            if (id.Length is 0 or > Profile.MaxExternalIdLength)
            {
                errors.Add($"entries[{i}].profile_id", $"A profile id is 1 to {Profile.MaxExternalIdLength} characters.");
            }
            if (rows[i].EnteredAt > now.AddDays(1))
            {
                errors.Add($"entries[{i}].entered_at", "The entry time is in the future.");
            }
        }
    }

    /// <summary>Links or unlinks a goal and a campaign (links are not part of the goal's definition: no re-evaluation).</summary>
    public async Task SetLinkAsync(Guid goalId, int campaignId, bool linked, string? user = null, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Goals.AnyAsync(g => g.Id == goalId, ct))
        {
            throw new KeyNotFoundException($"There is no goal {goalId}.");
        }
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            throw new KeyNotFoundException($"There is no campaign {campaignId}.");
        }
        var existing = await db.GoalCampaigns.FirstOrDefaultAsync(l => l.GoalId == goalId && l.CampaignId == campaignId, ct);
        if (linked == existing is not null)
        {
            return;
        }
        if (linked)
        {
            db.GoalCampaigns.Add(new GoalCampaign { GoalId = goalId, CampaignId = campaignId });
        }
        else
        {
            db.GoalCampaigns.Remove(existing!);
        }
        await db.SaveChangesAsync(ct);
        await NewVersionAsync(db, [goalId], ct);
    }

    private async Task NewVersionOfLinkedGoalsAsync(AppDbContext db, int campaignId, CancellationToken ct) =>
        await NewVersionAsync(db, await db.GoalCampaigns.Where(l => l.CampaignId == campaignId).Select(l => l.GoalId).ToListAsync(ct), ct);

    /// <summary>
    /// A goal's campaign keys are part of it as the API returns it, so a change to them is a new version
    /// (a new ETag: a client holding the old one gets 409 rather than overwriting the links). They are not
    /// part of its definition: a goal whose results were up to date stays so; one still being evaluated
    /// is evaluated again for the new version.
    /// </summary>
    private async Task NewVersionAsync(AppDbContext db, IReadOnlyCollection<Guid> goalIds, CancellationToken ct)
    {
        if (goalIds.Count == 0)
        {
            return;
        }
        await db.Goals.Where(g => goalIds.Contains(g.Id) && g.EvaluatedVersion >= g.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Version, g => g.Version + 1).SetProperty(g => g.EvaluatedVersion, g => g.Version + 1), ct);
        var behind = await db.Goals.Where(g => goalIds.Contains(g.Id) && g.EvaluatedVersion < g.Version).Select(g => g.Id).ToListAsync(ct);
        await db.Goals.Where(g => behind.Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.Version, g => g.Version + 1), ct);
        behind.ForEach(backfill.Enqueue);
    }

    private static async Task<List<(int CampaignId, LinkedGoal Goal)>> LinksAsync(AppDbContext db, int? campaignId, CancellationToken ct)
    {
        var rows = await db.GoalCampaigns.AsNoTracking()
            .Where(l => campaignId == null || l.CampaignId == campaignId)
            .Join(db.Goals, l => l.GoalId, g => g.Id, (l, g) => new { l.CampaignId, g.Id, g.Name, g.Status, g.TargetRate })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(r => (r.CampaignId, new LinkedGoal(r.Id, r.Name, r.Status, r.TargetRate))).ToList();
    }

    private static void Apply(Campaign campaign, CampaignDraft d, string user, DateTimeOffset now)
    {
        campaign.Name = d.Name!;
        campaign.Key = d.Key!;
        campaign.Channel = d.Channel!;
        campaign.StartsOn = d.StartsOn;
        campaign.EndsOn = d.EndsOn;
        campaign.UpdatedAt = now;
        campaign.UpdatedBy = user;
    }

    private static async Task CheckUniqueKeyAsync(AppDbContext db, string key, int? self, CancellationToken ct)
    {
        if (await db.Campaigns.AnyAsync(c => c.Key == key && c.Id != self, ct))
        {
            throw new DomainValidationException("key", $"Another campaign already has the key \"{key}\".");
        }
    }

    private static async Task SaveAsync(AppDbContext db, string key, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two saves raced past the uniqueness check; the index decided.
            throw new DomainValidationException("key", $"Another campaign already has the key \"{key}\".");
        }
    }
}

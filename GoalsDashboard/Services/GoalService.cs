using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>One row of the goals list.</summary>
public sealed record GoalListItem(
    Guid Id,
    string Name,
    GoalType Type,
    GoalStatus Status,
    string Summary,
    IReadOnlyList<string> Campaigns,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    bool IsEvaluating,
    int Completions,
    int Conversions,
    double CompletionRate,
    double? TargetRate,
    IReadOnlyList<int> DailyCompletions)
{
    /// <summary>On track when the period's rate reaches the target; null without a target.</summary>
    public bool? OnTrack => TargetRate is { } target ? CompletionRate >= target : null;
}

/// <summary>The goal use cases shared by the dashboard and the API.</summary>
public sealed class GoalService(IDbContextFactory<AppDbContext> dbFactory, IConfiguration configuration, TimeProvider clock, BackfillQueue backfill, Workspace workspace)
{
    public int MaxActiveGoals => configuration.GetValue("Goals:MaxActive", 100);

    /// <summary>Every goal with its figures over the last 30 days (completions, conversions, rate over active profiles, daily trend).</summary>
    public async Task<IReadOnlyList<GoalListItem>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goals = await db.Goals.AsNoTracking().Include(g => g.CampaignLinks).OrderBy(g => g.CreatedAt).ToListAsync(ct);
        var campaignKeys = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Key, ct);
        var period = Period.LastDays(30, clock.GetUtcNow(), workspace.TimeZone);
        var (summaries, active) = await GoalSummaries.LoadAsync(db, period, ct);
        var empty = new GoalSummary(0, 0, new int[period.Days]);
        return goals.Select(g =>
            {
                var summary = summaries.GetValueOrDefault(g.Id, empty);
                return new GoalListItem(
                    g.Id, g.Name, g.Type, g.Status, GoalSentence.Describe(g.Type, g.Groups, g.Window, g.Sites),
                    g.CampaignLinks.Select(l => campaignKeys.GetValueOrDefault(l.CampaignId, "?")).Order(StringComparer.Ordinal).ToList(),
                    g.CreatedAt, g.CreatedBy, g.UpdatedAt, g.UpdatedBy, g.IsEvaluating,
                    summary.Completions, summary.Conversions, GoalSummaries.Rate(summary.Completions, active), g.TargetRate, summary.DailyCompletions);
            })
            .ToList();
    }

    /// <summary>Validates the draft against section 2 and the stored goals, then saves it as a live goal.</summary>
    public async Task<Goal> CreateAsync(GoalDraft draft, string user, CancellationToken ct = default)
    {
        var normalized = GoalRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await CheckAgainstStoredGoalsAsync(db, normalized, null, ct);
        if (await db.Goals.CountAsync(g => g.Status == GoalStatus.Active, ct) >= MaxActiveGoals)
        {
            throw new DomainValidationException("status",
                $"This workspace already has {MaxActiveGoals} active goals, the limit. Archive a goal you no longer use first.");
        }
        var goal = Goal.Create(normalized, user, clock.GetUtcNow());
        goal.CampaignLinks.AddRange(await ResolveCampaignsAsync(db, goal.Id, normalized.Campaigns, ct));
        db.Goals.Add(goal);
        await db.SaveChangesAsync(ct);
        backfill.Enqueue(goal.Id);
        return goal;
    }

    private static async Task CheckAgainstStoredGoalsAsync(AppDbContext db, GoalDraft normalized, Guid? self, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var normalizedName = normalized.Name!.ToUpperInvariant();
        if (await db.Goals.AnyAsync(g => g.NormalizedName == normalizedName && g.Id != self, ct))
        {
            errors.Add("name", $"A goal named \"{normalized.Name}\" already exists; choose another name.");
        }
        if (normalized.Type == GoalType.Revenue)
        {
            var eventNames = normalized.Groups.SelectMany(g => g.Conditions)
                .Where(c => c is { Kind: ConditionKind.Event, Negate: false }).Select(c => c.EventName!).ToHashSet(StringComparer.Ordinal);
            var others = await db.Goals.AsNoTracking().Where(g => g.Type == GoalType.Revenue && g.Id != self).ToListAsync(ct);
            foreach (var other in others.Where(o => o.Currency != normalized.Currency))
            {
                var clash = other.Groups.SelectMany(g => g.Conditions)
                    .FirstOrDefault(c => c is { Kind: ConditionKind.Event, Negate: false } && eventNames.Contains(c.EventName!));
                if (clash is not null)
                {
                    errors.Add("currency", $"The event \"{clash.EventName}\" already counts revenue in {other.Currency} (goal \"{other.Name}\"); one event name has one currency.");
                }
            }
        }
        errors.ThrowIfAny();
    }

    private static async Task<List<GoalCampaign>> ResolveCampaignsAsync(AppDbContext db, Guid goalId, IReadOnlyList<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => keys.Contains(c.Key)).ToDictionaryAsync(c => c.Key, c => c.Id, ct);
        var errors = new ValidationErrors();
        for (var i = 0; i < keys.Count; i++)
        {
            if (!campaigns.ContainsKey(keys[i]))
            {
                errors.Add($"campaigns[{i}]", $"There is no campaign with the key \"{keys[i]}\".");
            }
        }
        errors.ThrowIfAny();
        return keys.Select(k => new GoalCampaign { GoalId = goalId, CampaignId = campaigns[k] }).ToList();
    }
}

using GoalsDashboard.Data.Changes;
using GoalsDashboard.Analytics;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>The goal use cases shared by the dashboard and the API.</summary>
public sealed class GoalService(IDbContextFactory<AppDbContext> dbFactory, IConfiguration configuration, TimeProvider clock, BackfillQueue backfill,
    AnalyticsService analytics)
{
    public int MaxActiveGoals => configuration.GetValue("Goals:MaxActive", 100);

    /// <summary>Every goal's id, name and status, by name: for pickers, without the list's figures.</summary>
    public async Task<IReadOnlyList<GoalName>> NamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goals = await db.Goals.AsNoTracking().Select(g => new GoalName(g.Id, g.Name, g.Status, g.TargetRate)).ToListAsync(ct);
        return goals.OrderBy(g => g.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>Every goal with its figures over the last 30 days (completions, conversions, rate over active profiles, daily trend).</summary>
    public async Task<IReadOnlyList<GoalListItem>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goals = await db.Goals.AsNoTracking().Include(g => g.CampaignLinks).OrderBy(g => g.CreatedAt).ToListAsync(ct);
        var campaignKeys = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Key, ct);
        // The figures a goal's page opens on (the last 30 days), from the same query layer.
        var today = analytics.Today;
        var figures = (await analytics.CompareAsync(goals.Select(g => g.Id).ToList(), new AnalyticsQuery(today.AddDays(-29), today), ct)).ToDictionary(f => f.GoalId);
        return goals.Select(g =>
            {
                var stats = figures[g.Id];
                return new GoalListItem(
                    g.Id, g.Name, g.Type, g.Status, GoalSentence.Describe(g.Type, g.Groups, g.Window, g.Sites),
                    g.CampaignLinks.Select(l => campaignKeys.GetValueOrDefault(l.CampaignId, "?")).Order(StringComparer.Ordinal).ToList(),
                    g.CreatedAt, g.CreatedBy, g.UpdatedAt, g.UpdatedBy, g.IsEvaluating,
                    stats.Completions, stats.Conversions, stats.CompletionRate, g.TargetRate, stats.Trend.Select(t => t.Completions).ToList());
            })
            .ToList();
    }

    /// <summary>Validates the draft against docs/goals.md and the stored goals, then saves it as a live goal.</summary>
    public async Task<Goal> CreateAsync(GoalDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = GoalRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await CheckAgainstStoredGoalsAsync(db, normalized, null, ct);
        if (await db.Goals.CountAsync(g => g.Status == GoalStatus.Active, ct) >= MaxActiveGoals)
        {
            throw new DomainValidationException("status",
                $"This workspace already has {MaxActiveGoals} active goals, the limit. Archive a goal you no longer use first.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var goal = Goal.Create(normalized, user, clock.GetUtcNow(), await Counter.NextAsync(db, Counter.GoalNumber, ct));
        goal.CampaignLinks.AddRange(await ResolveCampaignsAsync(db, goal.Id, normalized.Campaigns, ct));
        db.Goals.Add(goal);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        backfill.Enqueue(goal.Id);
        return goal;
    }

    /// <summary>
    /// Creates several goals atomically, in order. A draft whose definition equals an active goal's
    /// returns that goal instead of a duplicate. The first invalid draft fails the whole call.
    /// </summary>
    public async Task<(IReadOnlyList<(Goal Goal, IReadOnlyList<string> CampaignKeys)> Goals, DomainValidationException? Error, int FailedIndex)> CreateManyAsync(
        IReadOnlyList<GoalDraft> drafts, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var active = await db.Goals.AsNoTracking().Include(g => g.CampaignLinks).Where(g => g.Status == GoalStatus.Active).ToListAsync(ct);
        var result = new List<(Goal, IReadOnlyList<string>)>();
        var created = new List<Goal>();
        var activeCount = active.Count;
        for (var i = 0; i < drafts.Count; i++)
        {
            try
            {
                var normalized = GoalRules.Normalize(drafts[i]);
                var key = DefinitionKey(normalized.Type, normalized.Groups, normalized.Window, normalized.Sites);
                var existing = active.Concat(created).FirstOrDefault(g => g.Type == normalized.Type && DefinitionKey(g.Type, g.Groups, g.Window, g.Sites) == key);
                if (existing is not null)
                {
                    result.Add((existing, await CampaignKeysAsync(db, existing, ct)));
                    continue;
                }
                await CheckAgainstStoredGoalsAsync(db, normalized, null, ct);
                if (activeCount >= MaxActiveGoals)
                {
                    throw new DomainValidationException("status", $"This workspace already has {MaxActiveGoals} active goals, the limit. Archive a goal you no longer use first.");
                }
                var goal = Goal.Create(normalized, user, clock.GetUtcNow(), await Counter.NextAsync(db, Counter.GoalNumber, ct));
                goal.CampaignLinks.AddRange(await ResolveCampaignsAsync(db, goal.Id, normalized.Campaigns, ct));
                db.Goals.Add(goal);
                await db.SaveChangesAsync(ct);
                created.Add(goal);
                activeCount++;
                result.Add((goal, normalized.Campaigns.Order(StringComparer.Ordinal).ToList()));
            }
            catch (DomainValidationException ex)
            {
                await tx.RollbackAsync(ct);
                return ([], ex, i);
            }
        }
        await tx.CommitAsync(ct);
        created.ForEach(g => backfill.Enqueue(g.Id));
        return (result, null, -1);
    }

    /// <summary>The goal's figures for the last 30 days, for its page.</summary>
    public int ActiveCount(IReadOnlyList<GoalListItem> goals) => goals.Count(g => g.Status == GoalStatus.Active);

    /// <summary>Every goal, active and archived (the Plausible-compatible API picks the ones it can show).</summary>
    public async Task<IReadOnlyList<Goal>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Goals.AsNoTracking().ToListAsync(ct);
    }

    /// <summary>The goal with this workspace number, or null.</summary>
    public async Task<Goal?> FindByNumberAsync(int number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Goals.AsNoTracking().FirstOrDefaultAsync(g => g.Number == number, ct);
    }

    /// <summary>A goal with its campaign keys, or null.</summary>
    public async Task<(Goal Goal, IReadOnlyList<string> CampaignKeys)?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goal = await db.Goals.AsNoTracking().Include(g => g.CampaignLinks).FirstOrDefaultAsync(g => g.Id == id, ct);
        return goal is null ? null : (goal, await CampaignKeysAsync(db, goal, ct));
    }

    /// <summary>Goals oldest first, one page at a time.</summary>
    public async Task<(IReadOnlyList<(Goal Goal, IReadOnlyList<string> CampaignKeys)> Page, int Total)> PageAsync(
        GoalStatus? status, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Goals.AsNoTracking().Include(g => g.CampaignLinks).AsQueryable();
        if (status is { } s)
        {
            query = query.Where(g => g.Status == s);
        }
        var total = await query.CountAsync(ct);
        var goals = await query.OrderBy(g => g.CreatedAt).ThenBy(g => g.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var keys = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Key, ct);
        return (goals.Select(g => (g, (IReadOnlyList<string>)g.CampaignLinks.Select(l => keys[l.CampaignId]).Order(StringComparer.Ordinal).ToList())).ToList(), total);
    }

    /// <summary>The active goal whose definition (type, groups, window, sites) equals the draft's, for idempotent creation.</summary>
    public async Task<Goal?> FindSameDefinitionAsync(GoalDraft draft, CancellationToken ct = default)
    {
        var normalized = GoalRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var candidates = await db.Goals.AsNoTracking().Include(g => g.CampaignLinks).Where(g => g.Status == GoalStatus.Active && g.Type == normalized.Type).ToListAsync(ct);
        var key = DefinitionKey(normalized.Type, normalized.Groups, normalized.Window, normalized.Sites);
        return candidates.FirstOrDefault(g => DefinitionKey(g.Type, g.Groups, g.Window, g.Sites) == key);
    }

    private static string DefinitionKey(GoalType type, IReadOnlyList<ConditionGroup> groups, GoalWindow? window, IReadOnlyList<string> sites) =>
        System.Text.Json.JsonSerializer.Serialize(new { type, groups, window, sites = sites.Order(StringComparer.Ordinal) }, JsonColumn.Options);

    /// <summary>
    /// Replaces the definition. <paramref name="expectedVersion"/> (when given) must be the stored version;
    /// otherwise someone else saved in between and nothing is overwritten.
    /// </summary>
    public async Task<Goal> ReplaceAsync(Guid id, GoalDraft draft, int? expectedVersion, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = GoalRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goal = await db.Goals.Include(g => g.CampaignLinks).FirstOrDefaultAsync(g => g.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no goal {id}.");
        CheckVersion(goal, expectedVersion);
        await CheckAgainstStoredGoalsAsync(db, normalized, id, ct);
        var links = await ResolveCampaignsAsync(db, id, normalized.Campaigns, ct);
        goal.Replace(normalized, user, clock.GetUtcNow());
        goal.CampaignLinks.RemoveAll(l => links.All(n => n.CampaignId != l.CampaignId));
        goal.CampaignLinks.AddRange(links.Where(n => goal.CampaignLinks.All(l => l.CampaignId != n.CampaignId)));
        await SaveAsync(db, ct);
        backfill.Enqueue(goal.Id);
        return goal;
    }

    public async Task<Goal> SetStatusAsync(Guid id, GoalStatus status, string user, int? expectedVersion = null, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goal = await db.Goals.Include(g => g.CampaignLinks).FirstOrDefaultAsync(g => g.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no goal {id}.");
        CheckVersion(goal, expectedVersion);
        if (status == GoalStatus.Active && goal.Status == GoalStatus.Archived
            && await db.Goals.CountAsync(g => g.Status == GoalStatus.Active, ct) >= MaxActiveGoals)
        {
            throw new DomainValidationException("status", $"This workspace already has {MaxActiveGoals} active goals, the limit. Archive another goal first.");
        }
        if (status == GoalStatus.Active)
        {
            goal.Restore(user, clock.GetUtcNow());
        }
        else
        {
            goal.Archive(user, clock.GetUtcNow());
        }
        await SaveAsync(db, ct);
        if (status == GoalStatus.Active)
        {
            // Restoring re-evaluates: events arrived while it was archived.
            backfill.Enqueue(goal.Id);
        }
        return goal;
    }

    /// <summary>Deletes a goal with its completions and conversions. Refused while a funnel uses it.</summary>
    public async Task DeleteAsync(Guid id, string? user = null, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var goal = await db.Goals.FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw new KeyNotFoundException($"There is no goal {id}.");
        var funnels = await db.FunnelSteps.Where(s => s.GoalId == id).Join(db.Funnels, s => s.FunnelId, f => f.Id, (s, f) => f.Name).Distinct().ToListAsync(ct);
        if (funnels.Count > 0)
        {
            throw new DomainValidationException("id", $"The goal is a step of the funnel(s) {string.Join(", ", funnels)}; remove it from them first, or archive it instead.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Goals.Remove(goal);
        await db.SaveChangesAsync(ct); // the change log says its results went with it (ChangeLogInterceptor)
        // On PostgreSQL results have no foreign key to cascade (docs/decisions/ADR-004-postgresql.md). Deleted after
        // the goal's row: a result write holding the goal has committed by then, and its rows are deleted too.
        await db.Completions.Where(c => c.GoalId == id).ExecuteDeleteAsync(ct);
        await db.Conversions.Where(c => c.GoalId == id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static void CheckVersion(Goal goal, int? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != goal.Version)
        {
            throw new ConcurrencyConflictException(
                $"\"{goal.Name}\" was changed by {goal.UpdatedBy} at {goal.UpdatedAt:u} (version {goal.Version}; yours is {expected}). Reload it and apply your change again.");
        }
    }

    private static async Task SaveAsync(AppDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException("The goal was changed by someone else while you were saving. Reload it and apply your change again.");
        }
    }

    public static async Task<IReadOnlyList<string>> CampaignKeysAsync(AppDbContext db, Goal goal, CancellationToken ct)
    {
        var ids = goal.CampaignLinks.Select(l => l.CampaignId).ToList();
        return await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.Key).OrderBy(k => k).ToListAsync(ct);
    }

    /// <summary>The rules that need stored goals (unique name, one currency per event name), for an editor checking as the user types.</summary>
    public async Task CheckAgainstStoredGoalsAsync(GoalDraft normalized, Guid? self, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await CheckAgainstStoredGoalsAsync(db, normalized, self, ct);
    }

    /// <summary>The seeds' pitfalls for a draft: warnings shown before saving, never errors.</summary>
    public async Task<IReadOnlyList<string>> PitfallsAsync(GoalDraft normalized, (int Completions, int ActiveProfiles) preview, Guid? self, CancellationToken ct = default)
    {
        var warnings = new List<string>();
        if (GoalRules.VagueNames.Contains(normalized.Name!.Trim()))
        {
            warnings.Add($"\"{normalized.Name}\" is vague: a name like \"Trial Signup Completed\" says what happened and keeps reports readable.");
        }
        if (preview.ActiveProfiles > 20 && preview.Completions > preview.ActiveProfiles / 2)
        {
            warnings.Add($"This goal would have matched {Rates.Of(preview.Completions, preview.ActiveProfiles):0}% of active profiles: a goal most visitors complete tells you little. Consider a more specific action.");
        }
        if (normalized.Window is null && normalized.Type != GoalType.Tracked)
        {
            warnings.Add("No evaluation window: completions months after the first visit count too. A window (e.g. 30 days) keeps rates comparable.");
        }
        if (normalized.Campaigns.Count == 0)
        {
            warnings.Add("Not linked to a campaign: campaign links are how completions are attributed to the campaigns that drove them.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var active = await db.Goals.CountAsync(g => g.Status == GoalStatus.Active && g.Id != self, ct) + 1;
        if (active > 10)
        {
            warnings.Add($"This makes {active} active goals. More than 10 dilute attention; archive the ones nobody acts on.");
        }
        return warnings;
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

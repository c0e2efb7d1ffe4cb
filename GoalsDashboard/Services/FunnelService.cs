using GoalsDashboard.Data.Changes;
using GoalsDashboard.Data;
using GoalsDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Services;

/// <summary>A funnel step with its goal's name and status (a step's goal may be archived).</summary>
public sealed record FunnelStepView(int Position, Guid GoalId, string GoalName, GoalStatus Status, FunnelWindow? Window);

/// <summary>A funnel as pages and the API show it.</summary>
public sealed record FunnelView(Funnel Funnel, IReadOnlyList<FunnelStepView> Steps);

/// <summary>Funnel definitions, shared by the dashboard and the API.</summary>
public sealed class FunnelService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<FunnelView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var funnels = await db.Funnels.AsNoTracking().Include(f => f.Steps).OrderBy(f => f.Name).ToListAsync(ct);
        var goals = await GoalsAsync(db, funnels.SelectMany(f => f.Steps.Select(s => s.GoalId)), ct);
        return funnels.Select(f => View(f, goals)).ToList();
    }

    public async Task<FunnelView?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var funnel = await db.Funnels.AsNoTracking().Include(f => f.Steps).FirstOrDefaultAsync(f => f.Id == id, ct);
        return funnel is null ? null : View(funnel, await GoalsAsync(db, funnel.Steps.Select(s => s.GoalId), ct));
    }

    /// <summary>The funnels that have the goal as a step (for its page, and the archive warning).</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> UsingGoalAsync(Guid goalId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.FunnelSteps.AsNoTracking().Where(s => s.GoalId == goalId)
            .Join(db.Funnels, s => s.FunnelId, f => f.Id, (s, f) => new { f.Id, f.Name }).Distinct().ToListAsync(ct);
        return rows.OrderBy(r => r.Name).Select(r => (r.Id, r.Name)).ToList();
    }

    public async Task<Funnel> CreateAsync(FunnelDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = FunnelRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await CheckGoalsAsync(db, normalized, ct);
        var now = clock.GetUtcNow();
        var funnel = new Funnel { CreatedAt = now, CreatedBy = user };
        Apply(funnel, normalized, user, now);
        db.Funnels.Add(funnel);
        await db.SaveChangesAsync(ct);
        return funnel;
    }

    public async Task<Funnel> UpdateAsync(int id, FunnelDraft draft, string user, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        var normalized = FunnelRules.Normalize(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var funnel = await db.Funnels.Include(f => f.Steps).FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new KeyNotFoundException($"There is no funnel {id}.");
        await CheckGoalsAsync(db, normalized, ct);
        Apply(funnel, normalized, user, clock.GetUtcNow());
        // One save (one history entry, nothing half-written): steps are keyed by position, so the ones kept change in place.
        await db.SaveChangesAsync(ct);
        return funnel;
    }

    public async Task DeleteAsync(int id, string? user = null, CancellationToken ct = default)
    {
        using var actor = HistoryActor.As(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var funnel = await db.Funnels.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new KeyNotFoundException($"There is no funnel {id}.");
        db.Funnels.Remove(funnel);
        await db.SaveChangesAsync(ct);
    }

    private static void Apply(Funnel funnel, FunnelDraft d, string user, DateTimeOffset now)
    {
        funnel.Name = d.Name!;
        funnel.Window = d.Window;
        var steps = funnel.Steps.OrderBy(s => s.Position).ToList();
        for (var i = 0; i < d.Steps.Count; i++)
        {
            if (i == steps.Count)
            {
                steps.Add(new FunnelStep { FunnelId = funnel.Id, Position = i });
            }
            steps[i].GoalId = d.Steps[i].GoalId;
            steps[i].Window = i == 0 ? null : d.Steps[i].Window;
        }
        funnel.Steps = steps[..d.Steps.Count];
        funnel.UpdatedAt = now;
        funnel.UpdatedBy = user;
    }

    private static async Task CheckGoalsAsync(AppDbContext db, FunnelDraft draft, CancellationToken ct)
    {
        var ids = draft.Steps.Select(s => s.GoalId).ToList();
        var known = (await db.Goals.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct)).ToHashSet();
        var errors = new ValidationErrors();
        for (var i = 0; i < ids.Count; i++)
        {
            if (!known.Contains(ids[i]))
            {
                errors.Add($"steps[{i}].goal_id", $"There is no goal {ids[i]}.");
            }
        }
        errors.ThrowIfAny();
    }

    private static async Task<Dictionary<Guid, (string Name, GoalStatus Status)>> GoalsAsync(AppDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Goals.AsNoTracking().Where(g => list.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => (g.Name, g.Status), ct);
    }

    private static FunnelView View(Funnel f, IReadOnlyDictionary<Guid, (string Name, GoalStatus Status)> goals) =>
        new(f, f.Steps.OrderBy(s => s.Position).Select(s =>
        {
            var goal = goals.GetValueOrDefault(s.GoalId, ("?", GoalStatus.Archived));
            return new FunnelStepView(s.Position, s.GoalId, goal.Item1, goal.Item2, s.Window);
        }).ToList());
}

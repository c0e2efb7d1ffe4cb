using GoalsDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GoalsDashboard.Analytics;

public sealed record RecentCompletion(string ProfileId, DateTimeOffset CompletedAt, string? Channel, string? Site, decimal? Value);

/// <summary>A goal's headline figures over a period, from the precomputed completion and conversion rows.</summary>
public sealed record GoalOverview(
    int Completions,
    int Conversions,
    int ActiveProfiles,
    double CompletionRate,
    decimal RevenueTotal,
    int ValuedConversions,
    IReadOnlyList<int> DailyCompletions,
    IReadOnlyList<RecentCompletion> Recent)
{
    public static async Task<GoalOverview> LoadAsync(AppDbContext db, Guid goalId, Period period, CancellationToken ct = default)
    {
        var (summaries, active) = await GoalSummaries.LoadAsync(db, period, ct);
        var summary = summaries.GetValueOrDefault(goalId) ?? new GoalSummary(0, 0, new int[period.Days]);
        var from = period.Start;
        var to = period.End;
        var values = await db.Conversions.AsNoTracking()
            .Where(c => c.GoalId == goalId && c.Timestamp >= from && c.Timestamp < to && c.Value != null)
            .Select(c => c.Value!.Value).ToListAsync(ct);
        var recent = await db.Completions.AsNoTracking().Where(c => c.GoalId == goalId)
            .OrderByDescending(c => c.CompletedAt).Take(20)
            .Join(db.Profiles, c => c.ProfileId, p => p.Id, (c, p) => new RecentCompletion(p.ExternalId, c.CompletedAt, c.Channel, c.Site, c.Value))
            .ToListAsync(ct);
        return new GoalOverview(summary.Completions, summary.Conversions, active, GoalSummaries.Rate(summary.Completions, active),
            values.Sum(), values.Count, summary.DailyCompletions, recent);
    }
}
